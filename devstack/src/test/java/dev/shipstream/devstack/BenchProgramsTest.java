package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java programs under {@code bench/} (the baseline receiver, the benchmark broker, the connectors' latency
 * driver, the access log's cost) are compiled or run as source files by their scripts only, so the build would not
 * notice if a change to the code they measure broke them. This compiles each one against this module's test class path, which holds
 * everything they use (the ingress, streams, the local broker, Awaitility, HdrHistogram), so they break here first.
 */
class BenchProgramsTest {

    // Maven runs a module's tests in the module's directory; bench/ is at the root of the repository.
    private static final Path BENCH = Path.of("..", "bench");

    @Test
    void everyBenchmarkProgramCompilesAgainstTheCodeItMeasures(@TempDir Path classes) throws IOException {
        List<Path> programs;
        try (Stream<Path> files = Files.walk(BENCH)) {
            programs = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(programs).as("Java programs under %s", BENCH.toAbsolutePath().normalize())
                .extracting(file -> file.getFileName().toString())
                .contains("MinimalReceiver.java", "BenchBroker.java", "ConnectorLatency.java", "AccessLogCost.java");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (the build runs on a JDK)").isNotNull();
        for (Path program : programs) {
            // One at a time: each is a program of its own, and two may declare classes of the same name.
            Path out = Files.createDirectories(classes.resolve(program.getFileName().toString()));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                boolean compiled = javac.getTask(null, files, diagnostics,
                        List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none"),
                        null, files.getJavaFileObjects(program)).call();
                assertThat(compiled).as("%s compiles:%n%s", program, errors(diagnostics)).isTrue();
            }
        }
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                .map(diagnostic -> (diagnostic.getSource() == null ? "javac" : diagnostic.getSource().getName())
                        + ":" + diagnostic.getLineNumber() + ": " + diagnostic.getMessage(Locale.ROOT))
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
