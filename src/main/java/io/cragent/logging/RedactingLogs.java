package io.cragent.logging;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.rewrite.RewriteAppender;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts every log event of the process through the {@link Redactor}, whoever logs it (Camel prints resolved
 * property values at debug, libraries print URLs and headers): each logger's appenders are replaced by one
 * rewrite appender in front of them. A stack trace is redacted too, as text appended to the message.
 */
public final class RedactingLogs implements RewritePolicy {
    static final String APPENDER = "redacting";

    private RedactingLogs() {
    }

    /** Idempotent; does nothing when Log4j is not the logging backend. */
    public static synchronized void install(Map<String, String> env) {
        Redactor.rememberEnvironment(env);
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return;
        }
        Configuration config = context.getConfiguration();
        if (config.getAppender(APPENDER) != null) {
            return;
        }
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        loggers.add(config.getRootLogger());
        List<AppenderRef> targets = new ArrayList<>();
        for (Appender appender : config.getAppenders().values()) {
            targets.add(AppenderRef.createAppenderRef(appender.getName(), null, null));
        }
        RewriteAppender rewrite = RewriteAppender.createAppender(APPENDER, "true", targets.toArray(AppenderRef[]::new),
                config, new RedactingLogs(), null);
        rewrite.start();
        config.addAppender(rewrite);
        for (LoggerConfig logger : loggers) {
            List<String> names = new ArrayList<>(logger.getAppenders().keySet());
            if (!names.isEmpty()) {
                names.forEach(logger::removeAppender);
                logger.addAppender(rewrite, null, null);
            }
        }
        context.updateLoggers();
    }

    @Override
    public LogEvent rewrite(LogEvent source) {
        String message = source.getMessage().getFormattedMessage();
        Throwable thrown = source.getThrown();
        String text = thrown == null ? message : message + System.lineSeparator() + stackTrace(thrown);
        String redacted = Redactor.redact(text);
        if (thrown == null && redacted.equals(message)) {
            return source;
        }
        return new Log4jLogEvent.Builder(source).setMessage(new SimpleMessage(redacted)).setThrown(null)
                .setThrownProxy(null).build();
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString().stripTrailing();
    }
}
