package io.cragent.testsupport;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything this JVM logs while it is open (every logger, messages and stack traces), to search in tests. */
public final class CapturedLogs implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;

    public CapturedLogs() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("captured-" + NAMES.incrementAndGet()).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c{1} - %msg%n%throwable").build()).build();
        appender.start();
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
