package org.groundflow.workflow.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The body limit of Groundflow's API ({@code groundflow.api.max-body-size}), checked before the security chain, so
 * that an oversized body is refused before anything reads it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiLimits.class)
public class RequestLimits {

    /** Before Spring Security's chain (order -100). */
    static final int ORDER = -200;

    @Bean
    public FilterRegistrationBean<RequestBodyLimit> apiBodyLimit(ApiLimits limits) {
        FilterRegistrationBean<RequestBodyLimit> registration =
                new FilterRegistrationBean<>(new RequestBodyLimit(limits.maxBodySize().toBytes()));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(ORDER);
        return registration;
    }
}
