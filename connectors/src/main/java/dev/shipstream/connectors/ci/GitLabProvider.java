package dev.shipstream.connectors.ci;

import java.net.URI;
import java.time.Clock;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryOutcome;
import org.apache.kafka.common.config.types.Password;

/**
 * GitLab CI: a pipeline trigger, {@code POST /api/v4/projects/:id/trigger/pipeline} with {@code token}, {@code ref}
 * and {@code variables} ({@code SHIPSTREAM_<FIELD>} for each of the event's values, plus the rule's extras) as JSON.
 * The project (numeric id or {@code group/project} path) is one URL-encoded path segment. The trigger token travels in
 * the body, so it is added only when sending and never appears in {@link CiRequest#describe()}. 201 on success.
 */
final class GitLabProvider implements CiProvider {

    static final String VARIABLE_PREFIX = "SHIPSTREAM_";

    private final CiHttp http;
    private final URI triggerUrl;
    private final String project;
    private final Password triggerToken;
    private final Clock clock;

    GitLabProvider(CiHttp http, URI gitlabUrl, String project, Password triggerToken, Clock clock) {
        this.http = http;
        this.triggerUrl = gitlabUrl.resolve("api/v4/projects/" + CiHttp.segment(project) + "/trigger/pipeline");
        this.project = project;
        this.triggerToken = triggerToken;
        this.clock = clock;
    }

    @Override
    public String target() {
        return "gitlab:" + project;
    }

    @Override
    public CiRequest request(CiTrigger trigger, CiPayload payload) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("ref", trigger.ref());
        ObjectNode variables = body.putObject("variables");
        variables.put(VARIABLE_PREFIX + "EVENT_TYPE", trigger.eventType());
        payload.flat().forEach((name, value) -> variables.put(variableName(name), value));
        trigger.extras().forEach(variables::put);
        return new CiRequest(triggerUrl, body, trigger.rule() + ":" + payload.flat().get("event_id"));
    }

    @Override
    public DeliveryOutcome send(CiRequest request) {
        ObjectNode withToken = request.body().deepCopy();
        withToken.put("token", triggerToken.value());
        CiHttp.Answer answer = http.post(request.uri(), withToken.toString(), "Accept", "application/json");
        if (answer instanceof CiHttp.NoAnswer none) {
            return none.retry();
        }
        return CiHttp.classify(target(), (CiHttp.Response) answer, clock.instant());
    }

    /** {@code app_id} becomes {@code SHIPSTREAM_APP_ID}. */
    static String variableName(String flatName) {
        return VARIABLE_PREFIX + flatName.toUpperCase(Locale.ROOT);
    }
}
