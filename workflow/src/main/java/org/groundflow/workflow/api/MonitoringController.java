package org.groundflow.workflow.api;

import java.time.Instant;
import org.groundflow.workflow.monitoring.AiMonitoring;
import org.groundflow.workflow.monitoring.MonitoringReport;
import org.groundflow.workflow.monitoring.TimeRange;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/monitoring?from=&to=}: the AI monitoring of a time range (default: the last 30 days), for admins
 * (the security configuration refuses everyone else). Read-only.
 */
@RestController
public class MonitoringController {

    private final AiMonitoring monitoring;

    public MonitoringController(AiMonitoring monitoring) {
        this.monitoring = monitoring;
    }

    @GetMapping(path = "/api/monitoring", produces = MediaType.APPLICATION_JSON_VALUE)
    public MonitoringReport monitoring(@RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to) {
        TimeRange range;
        try {
            range = TimeRange.parse(from, to, Instant.now());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return monitoring.report(range);
    }
}
