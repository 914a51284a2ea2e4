package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.http.AccessLines;
import dev.shipstream.ingress.http.AccessLog;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The standalone ingress's logging: the access log never makes an event loop wait for stdout. With the shipped
 * configuration the access lines have a writer of their own ({@code AccessLinesTest}); with an operator's, they go to
 * the access logger, and an asynchronous appender there drops rather than blocks when its queue is full.
 */
class ShippedLoggingTest {

    @Test
    void theShippedConfigurationLeavesTheAccessLinesToTheirOwnWriterAndWritesEverythingElseSynchronously()
            throws Exception {
        Document config = shippedConfiguration();

        NodeList loggers = config.getElementsByTagName("Logger");
        for (int i = 0; i < loggers.getLength(); i++) {
            assertThat(((Element) loggers.item(i)).getAttribute("name")).isNotEqualTo(AccessLog.LOGGER);
        }
        assertThat(config.getElementsByTagName("Async").getLength()).isZero();
        assertThat(appenderRefs((Element) config.getElementsByTagName("Root").item(0))).containsExactly("stdout");
    }

    @Test
    void choosesTheShippedConfigurationAndTheAccessLinesWriterOnlyWhenNoConfigurationIsGiven() {
        String file = System.getProperty("log4j2.configurationFile");
        try {
            System.clearProperty("log4j2.configurationFile");
            assertThat(IngressMain.configureLogging()).isTrue();
            assertThat(System.getProperty("log4j2.configurationFile")).isEqualTo(IngressMain.LOGGING_CONFIGURATION);

            System.setProperty("log4j2.configurationFile", "operator-log4j2.xml");
            assertThat(IngressMain.configureLogging()).as("an operator's configuration routes the access logger")
                    .isFalse();
            assertThat(System.getProperty("log4j2.configurationFile")).isEqualTo("operator-log4j2.xml");
        } finally {
            restore("log4j2.configurationFile", file);
        }
    }

    @Test
    void startsTheAccessLinesWriterOnlyWithTheShippedConfigurationAndTheAccessLogOn() {
        assertThat(writerThreadsAfter(() -> IngressMain.accessLines(true, true))).isEqualTo(1);
        assertThat(writerThreadsAfter(() -> IngressMain.accessLines(true, false))).as("access log off").isZero();
        assertThat(writerThreadsAfter(() -> IngressMain.accessLines(false, true))).as("an operator's configuration")
                .isZero();
    }

    /** How many more access-line writer threads run after {@code choice} than before; closes what it chose. */
    private static long writerThreadsAfter(Supplier<AccessLines> choice) {
        long before = writerThreads();
        try (AccessLines lines = choice.get()) {
            return writerThreads() - before;
        }
    }

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(AccessLines.WRITER_THREAD)).count();
    }

    @Test
    void dropsAccessLinesRatherThanBlockWhenTheQueueIsFullUnlessConfiguredOtherwise() {
        String policy = System.getProperty("log4j2.AsyncQueueFullPolicy");
        String threshold = System.getProperty("log4j2.DiscardThreshold");
        String file = System.getProperty("log4j2.configurationFile");
        try {
            System.clearProperty("log4j2.AsyncQueueFullPolicy");
            System.clearProperty("log4j2.DiscardThreshold");

            IngressMain.configureLogging();

            assertThat(System.getProperty("log4j2.AsyncQueueFullPolicy")).isEqualTo("Discard");
            assertThat(System.getProperty("log4j2.DiscardThreshold")).isEqualTo("INFO");

            System.setProperty("log4j2.AsyncQueueFullPolicy", "Default");
            System.clearProperty("log4j2.DiscardThreshold");
            IngressMain.configureLogging();
            assertThat(System.getProperty("log4j2.AsyncQueueFullPolicy")).as("an operator's choice wins")
                    .isEqualTo("Default");
        } finally {
            restore("log4j2.AsyncQueueFullPolicy", policy);
            restore("log4j2.DiscardThreshold", threshold);
            restore("log4j2.configurationFile", file);
        }
    }

    private static Document shippedConfiguration() throws Exception {
        try (InputStream in = IngressMain.class.getClassLoader()
                .getResourceAsStream(IngressMain.LOGGING_CONFIGURATION)) {
            assertThat(in).as(IngressMain.LOGGING_CONFIGURATION + " on the classpath").isNotNull();
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static List<String> appenderRefs(Element parent) {
        List<String> refs = new ArrayList<>();
        NodeList elements = parent.getElementsByTagName("AppenderRef");
        for (int i = 0; i < elements.getLength(); i++) {
            refs.add(((Element) elements.item(i)).getAttribute("ref"));
        }
        return refs;
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
