import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline of {@code bench/ingress.sh} (not a test, not shipped; {@code BENCH_SERVER=baseline}): the least a
 * verified, durable webhook receiver must do, written plainly with Vert.x 5 and kafka-clients at the settings one
 * would pick for it. It reads the body, checks its App Store Connect signature ({@code x-apple-signature:
 * hmacsha256=<hex>}, HMAC-SHA256 over the body, constant-time comparison; 401 otherwise), produces the body as raw
 * bytes under one of 64 keys with {@code acks=all}, idempotence, {@code linger.ms=5} and the producer's default
 * in-flight limit (5), and answers 200 from the send callback, after the acknowledgement. No Avro, no router, no
 * metrics, no access log: what the ingress costs beyond this is the price of its features. Its HTTP server runs on
 * the native transport (Linux epoll), as the ingress's does by default, and fails to start where that cannot load;
 * {@code RECEIVER_TRANSPORT=nio} runs it on Java NIO instead.
 *
 * <p>Run as a single-file program with the ingress's classpath and the secret in {@code SHIPSTREAM_ASC_SECRET}:
 * {@code java -cp <ingress classpath> bench/baseline/MinimalReceiver.java <port> <bootstrap> <topic> <event loops>
 * [<producer key=value> ...]}; extra arguments override the producer settings above (e.g. {@code linger.ms=0}, or
 * {@code max.in.flight.requests.per.connection=1}, the ingress's own default and on the benchmark machine this
 * receiver's best too: see {@code docs/benchmarks.md}, run Q1).
 */
public final class MinimalReceiver {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int eventLoops = Integer.parseInt(args[3]);
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        for (int i = 4; i < args.length; i++) {
            String[] setting = args[i].split("=", 2);
            props.put(setting[0], setting[1]);
        }
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        String topic = args[2];
        producer.partitionsFor(topic);
        byte[] secret = System.getenv("SHIPSTREAM_ASC_SECRET").getBytes(StandardCharsets.UTF_8);
        boolean nio = "nio".equals(System.getenv("RECEIVER_TRANSPORT"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(!nio));
        if (!nio && !vertx.isNativeTransportEnabled()) {
            throw new IllegalStateException("no native transport: " + vertx.unavailableNativeTransportCause());
        }
        System.out.println("transport: " + (nio ? "nio" : "native"));
        vertx.deployVerticle(() -> new VerticleBase() {
            private final Mac mac = hmac(secret);

            @Override
            public Future<?> start() {
                return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                                .setTcpNoDelay(true))
                        .requestHandler(request -> {
                            if (request.path().startsWith("/health")) {
                                request.response().end("ok");
                                return;
                            }
                            String signature = request.getHeader("x-apple-signature");
                            request.body().onSuccess(body -> {
                                byte[] bytes = body.getBytes();
                                if (!verified(mac, bytes, signature)) {
                                    request.response().setStatusCode(401).end();
                                    return;
                                }
                                Context context = vertx.getOrCreateContext();
                                String key = "entity-" + Math.floorMod(body.hashCode(), 64);
                                producer.send(new ProducerRecord<>(topic, key, bytes), (metadata, error) ->
                                        context.runOnContext(v -> request.response()
                                                .setStatusCode(error == null ? 200 : 503).end()));
                            });
                        })
                        .listen();
            }
        }, new DeploymentOptions().setInstances(eventLoops));
        System.out.println("baseline listening on " + port + " with " + eventLoops + " event loop(s), producer "
                + props);
    }

    private static Mac hmac(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean verified(Mac mac, byte[] body, String signature) {
        if (signature == null || !signature.startsWith("hmacsha256=")) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(signature, "hmacsha256=".length(), signature.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac.doFinal(body), expected);
    }
}
