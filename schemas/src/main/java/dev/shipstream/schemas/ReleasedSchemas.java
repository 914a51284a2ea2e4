package dev.shipstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Every released form of a contract, shipped as {@code dev/shipstream/schemas/released/<Record>/v<n>.avsc} (numbered
 * from 1 without gaps; never edited once released). The build checks that the current schema reads each of them
 * ({@code SchemaContractTest}); at run time they let a reader decode data written with any released form, e.g.
 * Avro single-object encoded state written before an upgrade.
 */
public final class ReleasedSchemas {

    private static final String ROOT = "/dev/shipstream/schemas/released/";

    private ReleasedSchemas() {
    }

    /** The released forms of the record with this simple name, oldest first; empty if it was never released. */
    public static List<Schema> of(String recordName) {
        List<Schema> forms = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = resourceName(recordName, version);
            try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return List.copyOf(forms);
                }
                forms.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the released schema " + resource, e);
            }
        }
    }

    /** The classpath resource of one released form. */
    public static String resourceName(String recordName, int version) {
        return ROOT + recordName + "/v" + version + ".avsc";
    }

    /** A schema store that knows every released form of the record, for Avro's single-object decoders. */
    public static SchemaStore storeOf(String recordName) {
        SchemaStore.Cache store = new SchemaStore.Cache();
        of(recordName).forEach(store::addSchema);
        return store;
    }
}
