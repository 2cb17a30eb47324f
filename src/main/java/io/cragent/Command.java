package io.cragent;

import io.cragent.broker.client.BrokerClientConfiguration;
import io.cragent.logging.RedactingLogs;
import io.cragent.scan.cli.ScanCommand;
import org.apache.camel.main.Main;

import java.util.Arrays;

/** The jar's entry points. Each long-running one is a camel-main application with its own properties file. */
enum Command {
    AGENT {
        @Override
        int run(String[] args) throws Exception {
            RedactingLogs.install(System.getenv());
            Main main = new Main();
            // The configuration classes are listed in application.properties (camel.main.configuration-classes).
            main.setDefaultPropertyPlaceholderLocation("classpath:application.properties;optional=true");
            return main.run(args);
        }
    },
    CLIENT {
        @Override
        int run(String[] args) throws Exception {
            String missing = BrokerClientConfiguration.missingSettings(System.getenv());
            if (missing != null) {
                System.err.println("cr-agent client: " + missing);
                return 2;
            }
            RedactingLogs.install(System.getenv());
            Main main = new Main();
            // The configuration class is named in client.properties (camel.main.configuration-classes).
            main.setDefaultPropertyPlaceholderLocation("classpath:client.properties;optional=true");
            return main.run(args);
        }
    },
    SCAN {
        @Override
        int run(String[] args) {
            ScanCommand.useRedactedSimpleLogging(System.getenv());
            try {
                return new ScanCommand(System.getenv(), System.out, System.err).run(args);
            } finally {
                System.err.flush(); // a last line without its end, held by the redaction
            }
        }
    };

    abstract int run(String[] args) throws Exception;

    static Command select(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            return AGENT;
        }
        return Arrays.stream(values()).filter(c -> c.name().equalsIgnoreCase(args[0])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown command '" + args[0]
                        + "'; use agent, client or scan"));
    }

    static String[] rest(String[] args) {
        return args.length == 0 || args[0].startsWith("-") ? args : Arrays.copyOfRange(args, 1, args.length);
    }
}
