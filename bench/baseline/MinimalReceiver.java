import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline of {@code bench/ingress.sh} (not a test, not shipped; {@code BENCH_SERVER=baseline}): the least a
 * durable webhook receiver can do with Vert.x and kafka-clients. It reads the body, produces it as raw bytes with
 * the ingress's durability and batching settings ({@code acks=all}, idempotence, the same linger and in-flight
 * limit) under one of 64 keys spread like the ingress's entity keys, and answers 200 from the send callback. No
 * verification, no Avro, no router, no metrics: what the ingress costs beyond this is the price of its features.
 *
 * <p>Run as a single-file program with the ingress's classpath:
 * {@code java -cp <ingress classpath> bench/baseline/MinimalReceiver.java <port> <bootstrap> <topic> <instances>
 * <linger.ms> <max.in.flight>}.
 */
public final class MinimalReceiver {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[1],
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, args[4],
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, args[5]),
                new StringSerializer(), new ByteArraySerializer());
        String topic = args[2];
        producer.partitionsFor(topic);
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                                .setTcpNoDelay(true))
                        .requestHandler(request -> {
                            if (request.path().startsWith("/health")) {
                                request.response().end("ok");
                                return;
                            }
                            request.body().onSuccess(body -> {
                                byte[] bytes = body.getBytes();
                                Context context = vertx.getOrCreateContext();
                                String key = "entity-" + Math.floorMod(body.hashCode(), 64);
                                producer.send(new ProducerRecord<>(topic, key, bytes), (metadata, error) ->
                                        context.runOnContext(v -> request.response()
                                                .setStatusCode(error == null ? 200 : 503).end()));
                            });
                        })
                        .listen();
            }
        }, new DeploymentOptions().setInstances(Integer.parseInt(args[3])));
        System.out.println("baseline listening on " + port);
    }
}
