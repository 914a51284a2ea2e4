package dev.shipstream.connectors.ci;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.PermanentDeliveryException;
import org.apache.kafka.common.config.types.Password;

/**
 * GitHub Actions: a rule with a workflow starts it by {@code workflow_dispatch}
 * ({@code POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches}, {@code ref} and at most 25 string
 * inputs), any other rule sends a {@code repository_dispatch} ({@code POST /repos/{owner}/{repo}/dispatches},
 * {@code event_type} of at most 100 characters, a {@code client_payload} of at most 10 top-level properties). Both
 * answer 204 (workflow_dispatch 200 with run details). Authenticated by a token or a GitHub App's installation token;
 * a 401 with an App token fetches a new one and tries once more. Rate limits: a {@code Retry-After}, else
 * {@code x-ratelimit-remaining: 0} waits until {@code x-ratelimit-reset}.
 */
final class GitHubProvider implements CiProvider {

    static final String API_VERSION = "2022-11-28";
    static final int MAX_EVENT_TYPE_LENGTH = 100;
    static final int MAX_CLIENT_PAYLOAD_PROPERTIES = 10;
    static final int MAX_WORKFLOW_INPUTS = 25;

    private final CiHttp http;
    private final URI apiUrl;
    private final String repository;
    private final Password token;
    private final GitHubAppTokens appTokens;
    private final Clock clock;

    /** Exactly one of {@code token} and {@code appTokens} is non-null. */
    GitHubProvider(CiHttp http, URI apiUrl, String repository, Password token, GitHubAppTokens appTokens,
                   Clock clock) {
        this.http = http;
        this.apiUrl = apiUrl;
        this.repository = repository;
        this.token = token;
        this.appTokens = appTokens;
        this.clock = clock;
    }

    @Override
    public String target() {
        return "github:" + repository;
    }

    @Override
    public CiRequest request(CiTrigger trigger, CiPayload payload) {
        int slash = repository.indexOf('/');
        String repo = "repos/" + CiHttp.segment(repository.substring(0, slash)) + "/"
                + CiHttp.segment(repository.substring(slash + 1)) + "/";
        String messageId = trigger.rule() + ":" + payload.flat().get("event_id");
        if (trigger.workflow() != null) {
            ObjectNode inputs = JsonNodeFactory.instance.objectNode();
            for (String name : trigger.inputs()) {
                String value = payload.flat().get(name);
                if (value != null) {
                    inputs.put(name, value);
                }
            }
            trigger.extras().forEach(inputs::put);
            if (inputs.size() > MAX_WORKFLOW_INPUTS) {
                throw new PermanentDeliveryException("workflow_dispatch would get " + inputs.size()
                        + " inputs; GitHub allows at most " + MAX_WORKFLOW_INPUTS + " (rule." + trigger.rule()
                        + ".inputs and rule." + trigger.rule() + ".payload.*)");
            }
            ObjectNode body = inputs.objectNode();
            body.put("ref", trigger.ref());
            body.set("inputs", inputs);
            return new CiRequest(apiUrl.resolve(repo + "actions/workflows/" + CiHttp.segment(trigger.workflow())
                    + "/dispatches"), body, messageId);
        }
        if (trigger.eventType().length() > MAX_EVENT_TYPE_LENGTH) {
            throw new PermanentDeliveryException("repository_dispatch event_type has " + trigger.eventType().length()
                    + " characters; GitHub allows at most " + MAX_EVENT_TYPE_LENGTH);
        }
        ObjectNode clientPayload = payload.dataWith(trigger.extras());
        if (clientPayload.size() > MAX_CLIENT_PAYLOAD_PROPERTIES) {
            throw new PermanentDeliveryException("repository_dispatch client_payload would have "
                    + clientPayload.size() + " top-level properties; GitHub allows at most "
                    + MAX_CLIENT_PAYLOAD_PROPERTIES + " (the event's take 9: set at most one rule." + trigger.rule()
                    + ".payload.*)");
        }
        ObjectNode body = clientPayload.objectNode();
        body.put("event_type", trigger.eventType());
        body.set("client_payload", clientPayload);
        return new CiRequest(apiUrl.resolve(repo + "dispatches"), body, messageId);
    }

    @Override
    public DeliveryOutcome send(CiRequest request) {
        String body = request.body().toString();
        String bearer;
        if (appTokens != null) {
            GitHubAppTokens.Credential credential = appTokens.current();
            if (credential instanceof GitHubAppTokens.Unavailable unavailable) {
                return unavailable.outcome();
            }
            bearer = ((GitHubAppTokens.Token) credential).value();
        } else {
            bearer = token.value();
        }
        CiHttp.Answer answer = call(request.uri(), body, bearer);
        if (appTokens != null && answer instanceof CiHttp.Response response && response.status() == 401) {
            // An installation token can be revoked or expire early; one new token, one more try, then it is final.
            appTokens.invalidate(bearer);
            GitHubAppTokens.Credential renewed = appTokens.current();
            if (renewed instanceof GitHubAppTokens.Unavailable unavailable) {
                return unavailable.outcome();
            }
            answer = call(request.uri(), body, ((GitHubAppTokens.Token) renewed).value());
        }
        if (answer instanceof CiHttp.NoAnswer none) {
            return none.retry();
        }
        return classify(target(), (CiHttp.Response) answer, clock.instant());
    }

    private CiHttp.Answer call(URI uri, String body, String bearer) {
        return http.post(uri, body, "Accept", "application/vnd.github+json", "Authorization", "Bearer " + bearer,
                "X-GitHub-Api-Version", API_VERSION);
    }

    /**
     * GitHub's answers: a 403 or 429 is a rate limit when it names a wait ({@code Retry-After}, or
     * {@code x-ratelimit-remaining: 0} with {@code x-ratelimit-reset} in epoch seconds); a 429 without one is retried
     * with backoff; a 403 without one is a permission problem, permanent. Everything else as {@link CiHttp#classify}.
     */
    static DeliveryOutcome classify(String target, CiHttp.Response response, Instant now) {
        int status = response.status();
        if (status == 403 || status == 429) {
            Optional<Duration> retryAfter = CiHttp.retryAfter(response.header("Retry-After"), now);
            if (retryAfter.isPresent()) {
                return new DeliveryOutcome.Retry(retryAfter.get(), true, "rate limited by " + target + " (HTTP "
                        + status + "), Retry-After " + retryAfter.get().toSeconds() + " s");
            }
            Optional<Duration> untilReset = untilReset(response, now);
            if (untilReset.isPresent()) {
                return new DeliveryOutcome.Retry(untilReset.get(), true, "rate limit of " + target
                        + " used up (HTTP " + status + "), resets in " + untilReset.get().toSeconds() + " s");
            }
        }
        return CiHttp.classify(target, response, now);
    }

    private static Optional<Duration> untilReset(CiHttp.Response response, Instant now) {
        if (!response.header("x-ratelimit-remaining").map(String::trim).filter("0"::equals).isPresent()) {
            return Optional.empty();
        }
        try {
            long reset = Long.parseLong(response.header("x-ratelimit-reset").orElse("").trim());
            Duration wait = Duration.between(now, Instant.ofEpochSecond(reset));
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    /** The extras a rule may add, checked against the limits before any event arrives. */
    static Optional<String> limitProblem(CiTrigger trigger) {
        if (trigger.workflow() == null && trigger.eventType().length() > MAX_EVENT_TYPE_LENGTH) {
            return Optional.of("GitHub allows at most " + MAX_EVENT_TYPE_LENGTH + " characters in an event type");
        }
        if (trigger.workflow() == null && trigger.extras().size() > MAX_CLIENT_PAYLOAD_PROPERTIES - 9) {
            return Optional.of("client_payload allows 10 top-level properties and the event's take 9: at most one "
                    + "rule." + trigger.rule() + ".payload.* for repository_dispatch");
        }
        if (trigger.workflow() != null && trigger.inputs().size() + trigger.extras().size() > MAX_WORKFLOW_INPUTS) {
            return Optional.of("workflow_dispatch allows at most " + MAX_WORKFLOW_INPUTS + " inputs");
        }
        return Optional.empty();
    }
}
