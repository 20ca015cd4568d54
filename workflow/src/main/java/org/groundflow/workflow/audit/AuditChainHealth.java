package org.groundflow.workflow.audit;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code auditChain} in /actuator/health: the sign-off audit's hash chain holds, or where it breaks. */
@Component("auditChainHealthIndicator")
public class AuditChainHealth implements HealthIndicator {

    private final SignOffAudit audit;

    public AuditChainHealth(SignOffAudit audit) {
        this.audit = audit;
    }

    @Override
    public Health health() {
        return audit.verify().map(broken -> Health.down().withDetail("broken", broken).build())
                .orElseGet(() -> Health.up().build());
    }
}
