package dev.shipstream.ingress.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A {@link SignedRequest} built by hand: headers are case-insensitive and may repeat, as on the wire. */
final class FakeRequest implements SignedRequest {

    private final Map<String, List<String>> headers = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private String remoteAddress = "203.0.113.7";
    private byte[] body = new byte[0];
    private boolean bodyRead = true;
    /** Header and query lookups so far. */
    int lookups;

    static FakeRequest withBody(byte[] body) {
        FakeRequest request = new FakeRequest();
        request.body = body;
        return request;
    }

    /** A request whose body has not been read: {@link #body()} throws. */
    static FakeRequest headersOnly() {
        FakeRequest request = new FakeRequest();
        request.bodyRead = false;
        return request;
    }

    static FakeRequest withBody(String body) {
        return withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    FakeRequest from(String address) {
        remoteAddress = address;
        return this;
    }

    @Override
    public Optional<String> header(String name) {
        lookups++;
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    @Override
    public int headerCount(String name) {
        lookups++;
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? 0 : values.size();
    }

    @Override
    public Optional<String> queryParameter(String name) {
        lookups++;
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public byte[] body() {
        if (!bodyRead) {
            throw new IllegalStateException("the body has not been read");
        }
        return body;
    }
}
