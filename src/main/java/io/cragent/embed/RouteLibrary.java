package io.cragent.embed;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts a process's route library into a CamelContext that camel-main does not run (an existing application, an
 * OSGi container): the beans of its configuration classes, its Java route configurations and routes, and its YAML
 * routes, all named in its properties file ({@code camel.main.*}), as camel-main would. The HTTP server that
 * {@code platform-http} needs belongs to the host runtime (README "Deployment").
 */
public final class RouteLibrary {
    /** The agent's library: {@code install(context, AGENT)}. */
    public static final String AGENT = "classpath:application.properties";

    private RouteLibrary() {
    }

    public static void install(CamelContext context, String propertiesLocation) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addLocation(propertiesLocation);
        // Layers stream through the routes; a cached body would hold a whole layer in memory or on disk.
        context.setStreamCaching(false);

        CamelBeanPostProcessor beans = PluginHelper.getBeanPostProcessor(context);
        for (String name : list(properties, "camel.main.configuration-classes")) {
            CamelConfiguration configuration = (CamelConfiguration) newInstance(context, name);
            // Fields (@PropertyInject) first, then the @BindToRegistry methods, as camel-main does.
            beans.postProcessBeforeInitialization(configuration, name);
            beans.postProcessAfterInitialization(configuration, name);
            configuration.configure(context);
        }

        List<Object> builders = new ArrayList<>();
        for (String name : list(properties, "camel.main.routes-builder-classes")) {
            builders.add(newInstance(context, name));
        }
        // Route configurations before the routes that use them.
        for (Object builder : builders) {
            if (builder instanceof RouteConfigurationsBuilder configurations) {
                context.addRoutesConfigurations(configurations);
            }
        }
        for (Object builder : builders) {
            if (!(builder instanceof RouteConfigurationsBuilder)) {
                context.addRoutes((RoutesBuilder) builder);
            }
        }
        var resources = PluginHelper.getResourceLoader(context);
        Resource[] yaml = list(properties, "camel.main.routes-include-pattern").stream()
                .map(resources::resolveResource).toArray(Resource[]::new);
        PluginHelper.getRoutesLoader(context).loadRoutes(yaml);
    }

    private static Object newInstance(CamelContext context, String className) throws ClassNotFoundException {
        return context.getInjector().newInstance(context.getClassResolver().resolveMandatoryClass(className));
    }

    private static List<String> list(PropertiesComponent properties, String key) {
        String value = properties.resolveProperty(key).orElseThrow(
                () -> new IllegalArgumentException(key + " is not set in the route library's properties"));
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
