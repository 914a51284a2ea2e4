package dev.shipstream.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line (level, logger, formatted message and the text of each throwable in the cause chain) written while
 * it is open, through the test JVM's Log4j 2, at the levels its configuration lets through.
 */
public final class CapturedLogs extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs() {
        super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts capturing on the root logger. */
    public static CapturedLogs capture() {
        CapturedLogs logs = new CapturedLogs();
        logs.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(logs, null, null);
        context.updateLoggers();
        return logs;
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder()
                .append(event.getLevel()).append(' ')
                .append(event.getLoggerName()).append(' ')
                .append(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    /** What was captured so far, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
