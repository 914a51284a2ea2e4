package dev.shipstream.connectors.ci;

import java.net.URI;
import java.time.Clock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryOutcome;
import org.apache.kafka.common.config.types.Password;

/**
 * Bitbucket Pipelines: {@code POST /2.0/repositories/{workspace}/{repo}/pipelines/} with a
 * {@code pipeline_ref_target} (branch or tag, and a {@code custom} selector when the rule names a pipeline) and the
 * event's values as non-secured {@code variables} ({@code SHIPSTREAM_<FIELD>}, plus the rule's extras). Bearer
 * access token. 201 on success.
 */
final class BitbucketProvider implements CiProvider {

    private final CiHttp http;
    private final URI pipelinesUrl;
    private final String repository;
    private final String refType;
    private final Password token;
    private final Clock clock;

    BitbucketProvider(CiHttp http, URI apiUrl, String workspace, String repository, String refType, Password token,
                      Clock clock) {
        this.http = http;
        this.pipelinesUrl = apiUrl.resolve("2.0/repositories/" + CiHttp.segment(workspace) + "/"
                + CiHttp.segment(repository) + "/pipelines/");
        this.repository = workspace + "/" + repository;
        this.refType = refType;
        this.token = token;
        this.clock = clock;
    }

    @Override
    public String target() {
        return "bitbucket:" + repository;
    }

    @Override
    public CiRequest request(CiTrigger trigger, CiPayload payload) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode target = body.putObject("target");
        target.put("type", "pipeline_ref_target");
        target.put("ref_type", refType);
        target.put("ref_name", trigger.ref());
        if (trigger.pipeline() != null) {
            target.putObject("selector").put("type", "custom").put("pattern", trigger.pipeline());
        }
        ArrayNode variables = body.putArray("variables");
        variables.addObject().put("key", GitLabProvider.VARIABLE_PREFIX + "EVENT_TYPE")
                .put("value", trigger.eventType()).put("secured", false);
        payload.flat().forEach((name, value) -> variables.addObject().put("key", GitLabProvider.variableName(name))
                .put("value", value).put("secured", false));
        trigger.extras().forEach((key, value) -> variables.addObject().put("key", key).put("value", value)
                .put("secured", false));
        return new CiRequest(pipelinesUrl, body, trigger.rule() + ":" + payload.flat().get("event_id"));
    }

    @Override
    public DeliveryOutcome send(CiRequest request) {
        CiHttp.Answer answer = http.post(request.uri(), request.body().toString(), "Accept", "application/json",
                "Authorization", "Bearer " + token.value());
        if (answer instanceof CiHttp.NoAnswer none) {
            return none.retry();
        }
        return CiHttp.classify(target(), (CiHttp.Response) answer, clock.instant());
    }
}
