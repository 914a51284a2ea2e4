package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretTest {

    private static final String VALUE = "canary-secret-7f3a";

    @Test
    void neverShowsTheValueInToString() {
        Secret secret = Secret.of(VALUE);
        WebhookSecret webhookSecret = new WebhookSecret("2026-11", secret);

        assertThat(secret.toString()).isEqualTo("Secret[redacted]");
        assertThat(webhookSecret.toString()).contains("2026-11").doesNotContain(VALUE);
        assertThat(List.of(webhookSecret).toString()).doesNotContain(VALUE);
    }

    @Test
    void handsOutCopiesOfItsBytes() {
        Secret secret = Secret.of(VALUE);

        byte[] copy = secret.bytes();
        copy[0] = 'X';

        assertThat(secret.bytes()).isEqualTo(VALUE.getBytes(StandardCharsets.UTF_8)).isNotSameAs(copy);
    }

    @Test
    void measuresLengthInCharactersAsExpoDoes() {
        assertThat(Secret.of("0123456789abcdé").length()).isEqualTo(15);
        assertThat(Secret.of("0123456789abcdé").bytes()).hasSize(16);
    }

    @Test
    void comparesByIdentityOnly() {
        assertThat(Secret.of(VALUE)).isNotEqualTo(Secret.of(VALUE));
    }

    @Test
    void refusesNullAndBlankValuesWithoutEchoingThem() {
        assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret must not be null");
        assertThatThrownBy(() -> Secret.of(" \t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret must not be blank");
    }

    @Test
    void refusesBlankIdOrMissingSecret() {
        assertThatThrownBy(() -> WebhookSecret.of(" ", VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook secret id must not be blank");
        assertThatThrownBy(() -> new WebhookSecret(null, Secret.of(VALUE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook secret id must not be blank");
        assertThatThrownBy(() -> new WebhookSecret("2026-11", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook secret '2026-11' has no secret");
    }
}
