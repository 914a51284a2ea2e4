package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SignatureHeaderProperties {

    @Property
    void neverThrowsForAnyArguments(@ForAll("anyText") String value, @ForAll("anyText") String prefix,
                                    @ForAll int digestLength) {
        Optional<byte[]> parsed = SignatureHeader.parse(value, prefix, digestLength);

        assertThat(parsed).isNotNull();
    }

    @Property
    void acceptsExactlyPrefixPlusHexOfTheDigestLength(@ForAll("anyText") String value,
                                                      @ForAll @IntRange(min = 1, max = 64) int digestLength) {
        Optional<byte[]> parsed = SignatureHeader.parse(value, "sha1=", digestLength);

        boolean wellFormed = value != null && value.replaceAll("^[ \t]+|[ \t]+$", "")
                .matches("sha1=[0-9a-fA-F]{" + 2 * digestLength + "}");
        assertThat(parsed.isPresent()).as("parsed %s", value).isEqualTo(wellFormed);
    }

    @Property
    void decodesWhatItIsGivenWhateverTheHexCase(@ForAll("digests") byte[] digest, @ForAll boolean upperCase) {
        String hex = HexFormat.of().formatHex(digest);

        Optional<byte[]> parsed = SignatureHeader.parse(
                "hmacsha256=" + (upperCase ? hex.toUpperCase(Locale.ROOT) : hex), "hmacsha256=", digest.length);

        assertThat(parsed).get().isEqualTo(digest);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMaxLength(300),
                        Arbitraries.strings().withChars("sha1=0123456789abcdefABCDEFxyz \t\n").ofMaxLength(140),
                        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(1).ofMaxLength(128)
                                .map(h -> "sha1=" + h),
                        Arbitraries.strings().withChars("0123456789abcdef").ofLength(40).map(h -> " \tsha1=" + h + "\t "),
                        Arbitraries.just("sha1=" + "0".repeat(200_000)))
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<byte[]> digests() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
    }
}
