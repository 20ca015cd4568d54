package org.groundflow.workflow.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Limits of Groundflow's REST API ({@code groundflow.api.*}). */
@ConfigurationProperties("groundflow.api")
public record ApiLimits(@DefaultValue("256KB") DataSize maxBodySize) {

    public ApiLimits {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("groundflow.api.max-body-size must be at least 1 byte, got " + maxBodySize);
        }
    }
}
