package dev.shipstream.connect.common;

import java.util.Map;
import java.util.Objects;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * A named rule: a compiled CEL expression that says whether a connector acts on an event. Immutable and
 * thread-safe. An expression that fails at evaluation time (e.g. a field of a different type than the author
 * assumed) does not match, and the failure is reported to the caller rather than thrown, so one bad rule cannot
 * stop the others.
 */
public final class Rule {

    private final String name;
    private final String expression;
    private final CelRuntime.Program program;

    Rule(String name, String expression, CelRuntime.Program program) {
        this.name = Objects.requireNonNull(name, "name");
        this.expression = Objects.requireNonNull(expression, "expression");
        this.program = Objects.requireNonNull(program, "program");
    }

    public String name() {
        return name;
    }

    public String expression() {
        return expression;
    }

    /** The outcome of evaluating the rule on one event. */
    public sealed interface Match permits Matched, NotMatched, Failed {
    }

    /** The rule holds. */
    public record Matched() implements Match {
    }

    /** The rule does not hold. */
    public record NotMatched() implements Match {
    }

    /** The rule could not be evaluated on this event; it is treated as not matching. */
    public record Failed(String reason) implements Match {
    }

    /** Evaluates the rule over an event's fields (as {@link EventFields} gives them). */
    public Match evaluate(Map<String, Object> fields) {
        try {
            Object result = program.eval(RuleCompiler.activation(fields));
            if (result instanceof Boolean b) {
                return b ? new Matched() : new NotMatched();
            }
            return new Failed("rule '" + name + "' gave " + result + " instead of a bool");
        } catch (CelEvaluationException e) {
            return new Failed("rule '" + name + "' could not be evaluated: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name + ": " + expression;
    }
}
