package dev.shipstream.schemas.serde;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A registry client that counts the calls it forwards, to check what a cache or serde asks for. */
class CountingRegistry implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    CountingRegistry(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public int register(String subject, String schema) {
        count("register");
        return delegate.register(subject, schema);
    }

    @Override
    public RegisteredSchema lookup(String subject, String schema) {
        count("lookup");
        return delegate.lookup(subject, schema);
    }

    @Override
    public String schemaById(int id) {
        count("schemaById");
        return delegate.schemaById(id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        count("latest");
        return delegate.latest(subject);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        count("version");
        return delegate.version(subject, version);
    }

    @Override
    public List<Integer> versions(String subject) {
        count("versions");
        return delegate.versions(subject);
    }

    @Override
    public List<String> subjects() {
        count("subjects");
        return delegate.subjects();
    }

    @Override
    public boolean isCompatible(String subject, String schema) {
        count("isCompatible");
        return delegate.isCompatible(subject, schema);
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        count("compatibility");
        return delegate.compatibility(subject);
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        count("setCompatibility");
        delegate.setCompatibility(subject, level);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        count("globalCompatibility");
        return delegate.globalCompatibility();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        count("setGlobalCompatibility");
        delegate.setGlobalCompatibility(level);
    }

    @Override
    public void close() {
        count("close");
        delegate.close();
    }
}
