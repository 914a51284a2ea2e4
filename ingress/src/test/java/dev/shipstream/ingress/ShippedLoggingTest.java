package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.http.AccessLog;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The standalone ingress's logging: the access log never makes an event loop wait for stdout. Its lines are queued
 * (bounded) for a writer thread, and dropped rather than waited for when the queue is full.
 */
class ShippedLoggingTest {

    @Test
    void writesTheAccessLogThroughABoundedAsynchronousQueueAndNothingElse() throws Exception {
        Document config = shippedConfiguration();

        Element access = named(config, "Logger", AccessLog.LOGGER);
        assertThat(access.getAttribute("additivity")).isEqualTo("false");
        List<String> refs = appenderRefs(access);
        assertThat(refs).hasSize(1);
        Element async = named(config, "Async", refs.get(0));
        assertThat(async.getAttribute("bufferSize")).isEqualTo("64");
        assertThat(async.getAttribute("blocking")).as("blocking=false would lose lines whenever it is full, without"
                + " the discard policy's threshold").isEmpty();
        assertThat(appenderRefs((Element) config.getElementsByTagName("Root").item(0)))
                .as("other lines stay synchronous").doesNotContain(refs.get(0));
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

    private static Element named(Document config, String tag, String name) {
        NodeList elements = config.getElementsByTagName(tag);
        for (int i = 0; i < elements.getLength(); i++) {
            Element element = (Element) elements.item(i);
            if (name.equals(element.getAttribute("name"))) {
                return element;
            }
        }
        throw new AssertionError("no <" + tag + " name=\"" + name + "\"> in " + IngressMain.LOGGING_CONFIGURATION);
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
