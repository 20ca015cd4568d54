package org.groundflow.workflow.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The review UI's pages ({@code static/review/}): {@code /review/} is its worklist; and the AI monitoring's page
 * ({@code static/monitoring/}, for admins): {@code /monitoring/}.
 */
@Configuration(proxyBeanMethods = false)
public class ReviewPages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/review", "/review/");
        registry.addViewController("/review/").setViewName("forward:/review/index.html");
        registry.addRedirectViewController("/monitoring", "/monitoring/");
        registry.addViewController("/monitoring/").setViewName("forward:/monitoring/index.html");
    }
}
