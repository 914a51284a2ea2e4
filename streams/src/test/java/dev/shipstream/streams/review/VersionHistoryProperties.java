package dev.shipstream.streams.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

/** The store format reads back what it wrote, whatever the strings, and refuses a cut-short record cleanly. */
class VersionHistoryProperties {

    private final Serde<VersionHistory> serde = VersionHistory.serde(16);

    @Property(tries = 500)
    void readsBackWhatItWrote(@ForAll("histories") VersionHistory history) {
        byte[] bytes = serde.serializer().serialize("t", history);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(history);
    }

    @Property(tries = 300)
    void aCutShortRecordIsASerializationError(@ForAll("histories") VersionHistory history,
                                              @ForAll("fractions") double cut) {
        byte[] bytes = serde.serializer().serialize("t", history);
        byte[] shorter = Arrays.copyOf(bytes, (int) (bytes.length * cut));

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", shorter))
                .isInstanceOf(SerializationException.class);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0.0, 0.999).ofScale(3);
    }

    @Provide
    Arbitrary<VersionHistory> histories() {
        // Ids and states are ASCII in practice; any other text (accents, emoji, NUL) takes the other decoding path.
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("1.0 — bêta", "版本 2", "🚀 launch", "nul\u0000inside"));
        Arbitrary<VersionStateChange> change = Combinators.combine(text.filter(s -> !s.isEmpty()),
                        Arbitraries.longs(), text.injectNull(0.3), text, Arbitraries.longs().injectNull(0.5))
                .as(VersionStateChange::new);
        Arbitrary<List<VersionStateChange>> changes = change.list().ofMaxSize(16);
        return Combinators.combine(text, text.injectNull(0.3), text.injectNull(0.3), text.injectNull(0.3), changes)
                .as(VersionHistory::new);
    }
}
