package dev.shipstream.streams.enrich;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** An API that answers per entity id from a script, then with a default, and records every lookup. */
final class FakeAppStoreConnectApi implements AppStoreConnectApi {

    private final Map<String, Deque<ApiResult>> scripted = new HashMap<>();
    private final Function<String, ApiResult> otherwise;
    private final List<String> lookups = new ArrayList<>();
    private final List<String> listings = new ArrayList<>();
    private Function<String, ReviewSubmissions> submissions =
            appId -> ReviewSubmissions.found(List.of(), java.util.Optional.empty());
    private boolean closed;

    FakeAppStoreConnectApi(Function<String, ApiResult> otherwise) {
        this.otherwise = otherwise;
    }

    /** Answers these results, in order, to the next lookups of {@code entityId}. */
    FakeAppStoreConnectApi script(String entityId, ApiResult... results) {
        scripted.computeIfAbsent(entityId, id -> new ArrayDeque<>()).addAll(List.of(results));
        return this;
    }

    @Override
    public synchronized ApiResult lookup(String entityType, String entityId) {
        lookups.add(entityId);
        Deque<ApiResult> queue = scripted.get(entityId);
        return queue != null && !queue.isEmpty() ? queue.poll() : otherwise.apply(entityId);
    }

    /** Answers every review submission listing of an app from this function (by default: none). */
    FakeAppStoreConnectApi reviewSubmissions(Function<String, ReviewSubmissions> answer) {
        this.submissions = answer;
        return this;
    }

    @Override
    public synchronized ReviewSubmissions reviewSubmissions(String appId) {
        listings.add(appId);
        return submissions.apply(appId);
    }

    /** The app ids of every review submission listing, in order. */
    synchronized List<String> listings() {
        return List.copyOf(listings);
    }

    synchronized List<String> lookups() {
        return List.copyOf(lookups);
    }

    synchronized long lookupsOf(String entityId) {
        return lookups.stream().filter(entityId::equals).count();
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
