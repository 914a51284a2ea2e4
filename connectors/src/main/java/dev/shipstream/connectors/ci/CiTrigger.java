package dev.shipstream.connectors.ci;

import java.util.List;
import java.util.Map;

/**
 * What one rule starts on the CI target, from the rule's settings and the provider's defaults.
 *
 * @param rule      the rule's name
 * @param eventType GitHub {@code repository_dispatch} event type, and the Standard Webhooks {@code type}
 * @param workflow  GitHub workflow file name or id for {@code workflow_dispatch}; null for {@code repository_dispatch}
 * @param ref       the branch or tag to run on (workflow_dispatch, GitLab, Bitbucket)
 * @param pipeline  Bitbucket custom pipeline name; null runs the branch's default pipeline
 * @param inputs    which {@link CiPayload#FLAT_FIELDS} a workflow_dispatch sends as inputs
 * @param extras    literal values the rule adds ({@code rule.<name>.payload.<key>}), as data
 */
public record CiTrigger(String rule, String eventType, String workflow, String ref, String pipeline,
                        List<String> inputs, Map<String, String> extras) {

    public CiTrigger {
        inputs = List.copyOf(inputs);
        extras = Map.copyOf(extras);
    }
}
