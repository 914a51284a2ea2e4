package dev.shipstream.connectors.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JiraDocumentTest {

    @Test
    void emptyValuesLeaveNoEmptyTextNodes() {
        ObjectNode doc = JiraDocument.create().field("Reason", "").code(null).link("Logs", " ")
                .bullets(List.of("", "ITMS-90683: x")).text("a\nb\n\nc").build();
        assertThat(doc.path("type").asText()).isEqualTo("doc");
        assertThat(doc.path("version").asInt()).isEqualTo(1);
        assertThat(doc.findValues("text")).allSatisfy(text -> assertThat(text.asText()).isNotBlank());
        assertThat(doc.path("content")).hasSize(3);
        assertThat(doc.path("content").get(1).path("content").get(1).path("type").asText()).isEqualTo("hardBreak");
    }

    @Test
    void onlyHttpLinksBecomeLinks() {
        ObjectNode doc = JiraDocument.create().link("Details", "https://appstoreconnect.apple.com/apps/1")
                .link("Bad", "javascript:alert(1)").build();
        JsonNode good = doc.path("content").get(0).path("content").get(0);
        assertThat(good.path("marks").get(0).path("attrs").path("href").asText())
                .isEqualTo("https://appstoreconnect.apple.com/apps/1");
        JsonNode bad = doc.path("content").get(1).path("content").get(0);
        assertThat(bad.has("marks")).isFalse();
        assertThat(bad.path("text").asText()).isEqualTo("Bad: javascript:alert(1)");
    }

    @Test
    void aHugeCrashLogIsCut() {
        ObjectNode doc = JiraDocument.create().code("x".repeat(50_000)).build();
        assertThat(doc.path("content").get(0).path("content").get(0).path("text").asText())
                .hasSize(JiraDocument.MAX_TEXT + 1);
    }

    @Test
    void anEmptyDocumentStillHasText() {
        assertThat(JiraDocument.create().build().findValues("text")).hasSize(1);
    }
}
