package org.groundflow.workflow;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.ResourceConfig;
import org.springframework.boot.autoconfigure.web.servlet.JerseyApplicationPath;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The HTTP endpoints of the running application, read from it: every Spring MVC handler method (Groundflow's API,
 * the error page, actuator endpoints) as {@code METHOD /pattern} ({@code *} for any method), every URL mapping of
 * Spring MVC's URL handler mappings (view controllers, static resources, Camunda's webapp resources) as
 * {@code * /pattern}, every servlet mapping (Camunda's webapp APIs, the engine's REST API) as
 * {@code servlet /pattern}, and every root resource of the engine's REST API (its JAX-RS application) as
 * {@code rest /engine-rest/path}. Resources of a named engine ({@code /engine-rest/engine/{name}/...}) are the
 * default engine's resources under another prefix: they are listed as {@code rest /engine-rest/engine/{name}/path}.
 */
final class ApplicationEndpoints {

    static final String NAMED_ENGINE = "/engine/{name}";
    private static final List<Class<? extends java.lang.annotation.Annotation>> HTTP_METHODS =
            List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class, OPTIONS.class);

    private ApplicationEndpoints() {
    }

    static Set<String> of(ApplicationContext context, ServletContext servlets) {
        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<String> methods = new TreeSet<>();
                info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
                if (methods.isEmpty()) {
                    methods.add("*");
                }
                for (String pattern : info.getPatternValues()) {
                    methods.forEach(m -> endpoints.add(m + " " + pattern));
                }
            }
        }
        for (AbstractUrlHandlerMapping mapping : context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
            mapping.getHandlerMap().keySet().forEach(pattern -> endpoints.add("* " + pattern));
        }
        servlets.getServletRegistrations().values()
                .forEach(registration -> registration.getMappings().forEach(m -> endpoints.add("servlet " + m)));
        String restRoot = "/" + context.getBean(JerseyApplicationPath.class).getPath().replaceAll("^/|/?\\*?$", "");
        for (ResourceConfig application : context.getBeansOfType(ResourceConfig.class).values()) {
            for (Class<?> resource : application.getClasses()) {
                Path root = resource.getAnnotation(Path.class);
                if (root != null) {
                    endpoints.addAll(resourcePaths(restRoot + slash(root.value()), resource));
                }
            }
        }
        return endpoints;
    }

    /** The resource's own path when it answers there, and the path of each of its sub-resources. */
    private static Set<String> resourcePaths(String base, Class<?> resource) {
        Set<String> paths = new TreeSet<>();
        for (Method method : resource.getMethods()) {
            Path path = method.getAnnotation(Path.class);
            if (path != null) {
                paths.add("rest " + base + slash(path.value()));
            } else if (HTTP_METHODS.stream().anyMatch(method::isAnnotationPresent)) {
                paths.add("rest " + base);
            }
        }
        return paths;
    }

    private static String slash(String path) {
        String trimmed = path.replaceAll("/+$", "");
        return trimmed.isEmpty() || trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }
}
