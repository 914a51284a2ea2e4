package dev.shipstream.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipstream.connect.common.EventFields;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connectors.testing.TestEvents;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SlackMessageComposerTest {

    private static final SlackTemplates DEFAULTS = new SlackTemplates(List.of());

    private static JsonNode message(DeliveryEvent event, SlackTemplates templates, String rule) {
        Map<String, Object> view = SlackView.of(EventFields.of(TestEvents.struct(event)), rule);
        return SlackMessageComposer.compose(templates.title(rule, view), templates.body(rule, view), view, "C1", null);
    }

    private static String all(JsonNode message) {
        return message.toString();
    }

    @Test
    void failedBuildShowsAppVersionBuildStateChangeAndTheItmsReason() {
        JsonNode message = message(TestEvents.failedBuildUpload("e1").build(), DEFAULTS, "failed");
        assertThat(message.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("Demo & <Co> 2.3.0 (1045): build upload FAILED");
        assertThat(all(message)).contains("PROCESSING → FAILED", "`ITMS-90683` Missing purpose string in Info.plist",
                "https://appstoreconnect.apple.com/apps/1234567890");
        assertThat(message.path("text").asText()).contains("2.3.0 (1045)", "FAILED");
        assertThat(message.path("channel").asText()).isEqualTo("C1");
    }

    @Test
    void mrkdwnControlCharactersAreEscapedButThePlainHeaderIsNot() {
        JsonNode message = message(TestEvents.failedBuildUpload("e1").build(), DEFAULTS, "failed");
        assertThat(message.path("blocks").get(1).path("text").path("text").asText())
                .contains("*Demo &amp; &lt;Co&gt;*");
    }

    @Test
    void crashFeedbackShowsCommentDeviceOsAndTheCrashExcerpt() {
        JsonNode message = message(TestEvents.crashFeedback("e2").build(), DEFAULTS, "feedback");
        assertThat(message.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("Demo 2.3.0 (1045): TestFlight crash");
        assertThat(all(message)).contains(">It crashed when I tapped Pay", "Ada Tester", "iPhone15,2", "OS 18.1",
                "```Exception Type: EXC_BAD_ACCESS (SIGSEGV)");
    }

    @Test
    void screenshotFeedbackLinksItsScreenshots() {
        var event = TestEvents.crashFeedback("e3").setEventType("betaFeedbackScreenshotSubmissionCreated")
                .setExtras(Map.of("screenshotUrls", "https://example.com/a.png\nhttps://example.com/b.png")).build();
        JsonNode message = message(event, DEFAULTS, "feedback");
        assertThat(all(message)).contains("TestFlight screenshot feedback", "<https://example.com/a.png|Screenshot 1>",
                "<https://example.com/b.png|Screenshot 2>");
    }

    @Test
    void staysWithinSlackLimitsWhateverTheEventHolds() {
        String huge = "x".repeat(50_000);
        var event = TestEvents.crashFeedback("e4")
                .setApp(dev.shipstream.schemas.AppRef.newBuilder().setName(huge).build())
                .setExtras(Map.of("crashLog", huge, "feedbackComment", huge)).build();
        JsonNode message = message(event, DEFAULTS, "feedback");
        JsonNode blocks = message.path("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(SlackMessageComposer.MAX_BLOCKS);
        assertThat(blocks.get(0).path("text").path("text").asText()).hasSizeLessThanOrEqualTo(150);
        for (JsonNode block : blocks) {
            if (block.path("type").asText().equals("section")) {
                assertThat(block.path("text").path("text").asText()).hasSizeLessThanOrEqualTo(3_000);
                block.path("fields").forEach(f -> assertThat(f.path("text").asText()).hasSizeLessThanOrEqualTo(2_000));
            }
        }
        assertThat(message.path("text").asText()).hasSizeLessThanOrEqualTo(4_000);
    }

    @ParameterizedTest
    @EnumSource(EventCategory.class)
    void everyCategoryHasADefaultTitleAndBody(EventCategory category) {
        var event = TestEvents.failedBuildUpload("e5").setCategory(category).build();
        JsonNode message = message(event, DEFAULTS, "any");
        assertThat(message.path("blocks").get(0).path("text").path("text").asText()).isNotBlank();
        assertThat(message.path("blocks").get(1).path("type").asText()).isEqualTo("section");
    }

    @Test
    void aRuleTemplateOverridesTheCategoryDefault() {
        SlackTemplates custom = new SlackTemplates(List.of(new RuleSettings.Definition("failed", "true",
                Map.of("title", "{{appLabel}} is broken ({{newState}})", "body", "Ping {{{extras.owner}}}: {{rule}}"))));
        var event = TestEvents.failedBuildUpload("e6").setExtras(Map.of("owner", "<!subteam^S1>")).build();
        JsonNode message = message(event, custom, "failed");
        assertThat(message.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("Demo & <Co> is broken (FAILED)");
        assertThat(message.path("blocks").get(1).path("text").path("text").asText())
                .isEqualTo("Ping <!subteam^S1>: failed");
    }

    @Test
    void aCategoryTemplateOverridesTheShippedDefaultForEveryRule() {
        SlackTemplates custom = new SlackTemplates(List.of(), Map.of(
                "BUILD_UPLOAD_STATE.title", "Upload {{newState}}: {{appLabel}}",
                "default.body", "Something happened to {{appLabel}}"));
        assertThat(message(TestEvents.failedBuildUpload("e8").build(), custom, "failed")
                .path("blocks").get(0).path("text").path("text").asText()).isEqualTo("Upload FAILED: Demo & <Co>");
        var ping = TestEvents.failedBuildUpload("e9").setCategory(EventCategory.UNKNOWN).build();
        assertThat(message(ping, custom, "any").path("blocks").get(1).path("text").path("text").asText())
                .isEqualTo("Something happened to Demo &amp; &lt;Co&gt;");
    }

    @Test
    void threadRepliesCarryTheThreadTs() {
        Map<String, Object> view = SlackView.of(EventFields.of(TestEvents.struct(TestEvents.failedBuildUpload("e7")
                .build())), "failed");
        assertThat(SlackMessageComposer.compose("t", "b", view, "C1", "123.456").path("thread_ts").asText())
                .isEqualTo("123.456");
    }
}
