package dev.shipstream.streams.state;

import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A RocksDB window store that tells Kafka Streams it does not manage its changelog offsets, so that Kafka Streams
 * checkpoints them to a file; everything else goes to the RocksDB store unchanged. See {@link WindowStores} for why.
 */
final class FileCheckpointedWindowStore implements WindowStore<Bytes, byte[]> {

    private final WindowStore<Bytes, byte[]> rocksDb;

    FileCheckpointedWindowStore(WindowStore<Bytes, byte[]> rocksDb) {
        this.rocksDb = Objects.requireNonNull(rocksDb, "rocksDb");
    }

    /** False: the offsets go to the task's checkpoint file, which also exists when the store has no segment. */
    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return false;
    }

    /** None of its own: Kafka Streams reads the checkpoint file of a store that does not manage its offsets. */
    @Override
    public Long committedOffset(TopicPartition partition) {
        return null;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        rocksDb.commit(changelogOffsets);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        rocksDb.flush();
    }

    @Override
    public String name() {
        return rocksDb.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        rocksDb.init(context, root);
    }

    @Override
    public void close() {
        rocksDb.close();
    }

    @Override
    public boolean persistent() {
        return rocksDb.persistent();
    }

    @Override
    public boolean isOpen() {
        return rocksDb.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return rocksDb.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return rocksDb.getPosition();
    }

    @Override
    public void put(Bytes key, byte[] value, long windowStartTimestamp) {
        rocksDb.put(key, value, windowStartTimestamp);
    }

    @Override
    public byte[] fetch(Bytes key, long time) {
        return rocksDb.fetch(key, time);
    }

    @Override
    public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
        return rocksDb.fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
        return rocksDb.backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
        return rocksDb.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo, long timeFrom,
                                                                   long timeTo) {
        return rocksDb.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
        return rocksDb.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom, long timeTo) {
        return rocksDb.backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
        return rocksDb.all();
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
        return rocksDb.backwardAll();
    }
}
