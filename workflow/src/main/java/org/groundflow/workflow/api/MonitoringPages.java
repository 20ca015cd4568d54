package org.groundflow.workflow.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The AI monitoring page ({@code static/monitoring/}), for admins: {@code /monitoring/}. */
@Configuration(proxyBeanMethods = false)
public class MonitoringPages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/monitoring", "/monitoring/");
        registry.addViewController("/monitoring/").setViewName("forward:/monitoring/index.html");
    }
}
