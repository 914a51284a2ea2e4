package dev.shipstream.connect.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.shipstream.schemas.DeliveryEvent;

/**
 * Compiles rule expressions in CEL against the fields of {@link DeliveryEvent}, each declared as a top-level
 * variable of type {@code dyn} (so {@code category == 'BUILD_UPLOAD_STATE' && newState == 'FAILED'} reads as
 * written, and {@code has(app.name)}, {@code errors.exists(e, ...)} work: the standard macros are on). A rule must
 * be of type {@code bool}; anything else is a compile error. Uses CEL's planner runtime, whose programs are
 * immutable and thread-safe, so each rule is compiled once.
 */
public final class RuleCompiler {

    private static final List<String> VARIABLES = DeliveryEvent.getClassSchema().getFields().stream()
            .map(org.apache.avro.Schema.Field::name)
            .toList();

    private final Cel cel;

    /** A compiler declaring every field of the delivery event schema. */
    public RuleCompiler() {
        var builder = CelFactory.plannerCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(SimpleType.BOOL);
        VARIABLES.forEach(name -> builder.addVar(name, SimpleType.DYN));
        this.cel = builder.build();
    }

    /** The variable names a rule may use, in schema order. */
    public static List<String> variables() {
        return VARIABLES;
    }

    /**
     * The compiled rule.
     *
     * @throws InvalidRuleException with CEL's message (line, column, caret) when the expression does not compile
     */
    public Rule compile(String name, String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidRuleException("rule '" + name + "' has no expression");
        }
        try {
            CelValidationResult result = cel.compile(expression);
            if (result.hasError()) {
                throw new InvalidRuleException(result.getErrorString());
            }
            CelAbstractSyntaxTree ast = result.getAst();
            return new Rule(name, expression, cel.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidRuleException(e.getMessage());
        }
    }

    /** Null values as CEL's {@code null}, recursively: the planner refuses Java nulls in its activation. */
    static Map<String, Object> activation(Map<String, Object> fields) {
        Map<String, Object> activation = new LinkedHashMap<>();
        VARIABLES.forEach(name -> activation.put(name, celValue(fields.get(name))));
        return activation;
    }

    private static Object celValue(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new LinkedHashMap<>();
            map.forEach((k, v) -> converted.put(String.valueOf(k), celValue(v)));
            return converted;
        }
        if (value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>(list.size());
            list.forEach(item -> converted.add(celValue(item)));
            return converted;
        }
        return value;
    }

    /** A rule expression that does not compile; the message is CEL's, with position. */
    public static final class InvalidRuleException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidRuleException(String message) {
            super(message);
        }
    }

}
