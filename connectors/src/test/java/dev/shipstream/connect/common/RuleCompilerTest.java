package dev.shipstream.connect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.shipstream.connectors.slack.SlackSinkConfig;
import dev.shipstream.connectors.testing.TestEvents;
import dev.shipstream.schemas.EventCategory;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {

    private final RuleCompiler compiler = new RuleCompiler();
    private final Rule failed = compiler.compile("failed", SlackSinkConfig.defaultRules().get("failed"));
    private final Rule feedback = compiler.compile("feedback", SlackSinkConfig.defaultRules().get("feedback"));

    private static Map<String, Object> fields(dev.shipstream.schemas.DeliveryEvent event) {
        return EventFields.of(TestEvents.struct(event));
    }

    @Test
    void failedRuleMatchesAFailedBuildUpload() {
        assertThat(failed.evaluate(fields(TestEvents.failedBuildUpload("e1").build())))
                .isInstanceOf(Rule.Matched.class);
    }

    @Test
    void failedRuleIgnoresACompletedBuildUpload() {
        assertThat(failed.evaluate(fields(TestEvents.failedBuildUpload("e1").setNewState("COMPLETE").build())))
                .isInstanceOf(Rule.NotMatched.class);
    }

    @Test
    void failedRuleMatchesARejectedVersion() {
        var event = TestEvents.failedBuildUpload("e1").setCategory(EventCategory.APP_VERSION_STATE)
                .setNewState("REJECTED").build();
        assertThat(failed.evaluate(fields(event))).isInstanceOf(Rule.Matched.class);
    }

    @Test
    void failedRuleDoesNotMatchAnEventWithoutState() {
        var event = TestEvents.failedBuildUpload("e1").setNewState(null).setPreviousState(null).setApp(null).build();
        assertThat(failed.evaluate(fields(event))).isInstanceOf(Rule.NotMatched.class);
    }

    @Test
    void feedbackRuleMatchesACrashAndNotABuild() {
        assertThat(feedback.evaluate(fields(TestEvents.crashFeedback("e2").build()))).isInstanceOf(Rule.Matched.class);
        assertThat(feedback.evaluate(fields(TestEvents.failedBuildUpload("e1").build())))
                .isInstanceOf(Rule.NotMatched.class);
    }

    @Test
    void rulesReadNestedFieldsListsAndMacros() {
        Rule itms = compiler.compile("itms",
                "has(app.name) && errors.exists(e, e.code == 'ITMS-90683') && enrichment.attempts >= 1");
        assertThat(itms.evaluate(fields(TestEvents.failedBuildUpload("e1").build()))).isInstanceOf(Rule.Matched.class);
    }

    @Test
    void rejectsAnUndeclaredVariableWithItsPosition() {
        assertThatThrownBy(() -> compiler.compile("bad", "category == 'X' && unknownField == 1"))
                .isInstanceOf(RuleCompiler.InvalidRuleException.class)
                .hasMessageContaining("undeclared reference to 'unknownField'")
                .hasMessageContaining("1:20");
    }

    @Test
    void rejectsARuleThatIsNotABool() {
        assertThatThrownBy(() -> compiler.compile("bad", "'FAILED'"))
                .isInstanceOf(RuleCompiler.InvalidRuleException.class)
                .hasMessageContaining("bool");
    }

    @Test
    void aDynFieldAloneCompilesButDoesNotMatch() {
        // Fields are dyn, so only evaluation can tell that a bare string is not a bool.
        Rule bare = compiler.compile("bare", "category");
        assertThat(bare.evaluate(fields(TestEvents.failedBuildUpload("e1").build()))).isInstanceOf(Rule.Failed.class);
    }

    @Test
    void rejectsASyntaxError() {
        assertThatThrownBy(() -> compiler.compile("bad", "category == "))
                .isInstanceOf(RuleCompiler.InvalidRuleException.class);
    }

    @Test
    void aRuleFailingAtRunTimeIsReportedNotThrown() {
        Rule wrongType = compiler.compile("wrong", "newState > 3");
        assertThat(wrongType.evaluate(fields(TestEvents.failedBuildUpload("e1").build())))
                .isInstanceOf(Rule.Failed.class);
    }
}
