package dev.shipstream.devstack;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

/**
 * How every command of the {@code shipstream} launcher starts: {@code --help} or {@code -h} prints the usage and
 * exits 0; options that do not parse print the reason and the usage on stderr and exit 2; anything else runs.
 *
 * @param <O>        the command's parsed options
 * @param options    the options, or null when the command must exit at once
 * @param exitStatus the status to exit with when {@code options} is null
 */
record CommandLine<O>(O options, int exitStatus) {

    /** The exit status of a command line that does not parse. */
    static final int BAD_COMMAND_LINE = 2;

    /**
     * @param command the command's name as the user typed it, e.g. {@code tail}
     * @param usage   the command's help text
     * @param parser  parses the arguments, throwing {@link IllegalArgumentException} with the reason
     */
    static <O> CommandLine<O> parse(List<String> args, String command, String usage,
            Function<List<String>, O> parser, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(usage);
            return new CommandLine<>(null, 0);
        }
        try {
            return new CommandLine<>(parser.apply(args), 0);
        } catch (IllegalArgumentException e) {
            err.println("shipstream " + command + ": " + e.getMessage());
            err.println(usage);
            return new CommandLine<>(null, BAD_COMMAND_LINE);
        }
    }

    /** Whether the command runs (else it exits with {@link #exitStatus()}). */
    boolean runs() {
        return options != null;
    }
}
