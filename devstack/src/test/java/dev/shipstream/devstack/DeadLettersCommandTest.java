package dev.shipstream.devstack;

import dev.shipstream.schemas.DeadLetterReason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLettersCommandTest {

    @Test
    void listDefaultsToTheLocalStackAndTwentyDeadLetters() {
        DeadLettersCommand.Options options = DeadLettersCommand.Options.parse(List.of("list"));

        assertThat(options.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(options.registry()).isEqualTo("http://127.0.0.1:8081");
        assertThat(options.topic()).isEqualTo("shipstream.deadletter");
        assertThat(options.limit()).isEqualTo(20);
        assertThat(options.reason()).isNull();
    }

    @Test
    void parsesOffsetsWithAndWithoutAPartition() {
        assertThat(DeadLettersCommand.Options.parse(List.of("show", "12")).position())
                .isEqualTo(new DeadLettersCommand.Position(0, 12));
        assertThat(DeadLettersCommand.Options.parse(List.of("replay", "2:7")).position())
                .isEqualTo(new DeadLettersCommand.Position(2, 7));
        assertThat(DeadLettersCommand.Options.parse(
                List.of("replay", "--all", "--reason", "unparseable_payload")).reason())
                .isEqualTo(DeadLetterReason.UNPARSEABLE_PAYLOAD);
    }

    @Test
    void refusesAmbiguousOrUnboundedCommandLines() {
        assertThatThrownBy(() -> DeadLettersCommand.Options.parse(List.of("replay")))
                .hasMessageContaining("either one OFFSET or --all");
        assertThatThrownBy(() -> DeadLettersCommand.Options.parse(List.of("replay", "3", "--all")))
                .hasMessageContaining("either one OFFSET or --all");
        assertThatThrownBy(() -> DeadLettersCommand.Options.parse(List.of("show")))
                .hasMessageContaining("exactly one OFFSET");
        assertThatThrownBy(() -> DeadLettersCommand.Options.parse(List.of("list", "--limit", "1000000")))
                .hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> DeadLettersCommand.Options.parse(List.of("list", "--reason", "BOGUS")))
                .hasMessageContaining("unknown reason");
        assertThatThrownBy(() -> DeadLettersCommand.Options.parse(List.of("show", "-3")))
                .hasMessageContaining("must not be negative");
    }

    @Test
    void aBadCommandLineExitsWith2AndTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = DeadLettersCommand.run(List.of("purge"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'purge'", "Usage:");
    }

    @Test
    void rendersUtf8AsTextAndEverythingElseAsHex() {
        assertThat(DeadLettersCommand.render("héllo\n".getBytes(StandardCharsets.UTF_8), 100))
                .isEqualTo("7 bytes, text:\nhéllo\n");
        assertThat(DeadLettersCommand.render(new byte[] {0, 0, 0, 0, 5, 'a'}, 100))
                .isEqualTo("6 bytes, hex:\n00000000" + "0561");
        assertThat(DeadLettersCommand.render(new byte[] {(byte) 0xc3, (byte) 0x28}, 100)).contains("hex:\nc328");
        assertThat(DeadLettersCommand.render(null, 100)).isEqualTo("(null)");
    }

    @Test
    void cutsLongPayloadsWithoutSplittingACharacter() {
        byte[] text = "aé".repeat(10).getBytes(StandardCharsets.UTF_8);

        assertThat(DeadLettersCommand.render(text, 5)).isEqualTo("30 bytes, text:\naéa ... (25 more bytes)");
        assertThat(DeadLettersCommand.render(new byte[] {1, 2, 3, 4}, 2))
                .isEqualTo("4 bytes, hex:\n0102 ... (2 more bytes)");
    }
}
