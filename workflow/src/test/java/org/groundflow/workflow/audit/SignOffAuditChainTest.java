package org.groundflow.workflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Laterality;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.review.Decision;
import org.groundflow.review.FindingDecision;
import org.groundflow.review.Review;
import org.groundflow.review.SignOff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The sign-off audit is append-only and tamper-evident: its rows form one hash chain, each with user, time and client
 * address; a change, a removal or a cut-off end made behind Groundflow's back is found; concurrent sign-offs chain
 * one after the other.
 */
@SpringBootTest(classes = SignOffAuditChainTest.Audit.class,
        properties = "spring.datasource.url=jdbc:h2:mem:groundflow-audit;DB_CLOSE_DELAY=-1;MODE=LEGACY")
class SignOffAuditChainTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class, TransactionAutoConfiguration.class})
    @Import({SignOffAudit.class, AuditChainHealth.class})
    static class Audit {
    }

    @Autowired
    SignOffAudit audit;
    @Autowired
    AuditChainHealth health;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void emptyChain() {
        jdbc.update("DELETE FROM GF_SIGNOFF_AUDIT");
        jdbc.update("UPDATE GF_AUDIT_HEAD SET SEQ = 0, ENTRY_HASH = ?", AuditChain.GENESIS);
    }

    @Test
    void aSignOffIsChainedWithUserTimeAndClientAddress() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("192.0.2.17");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            transactions.executeWithoutResult(s -> audit.record(signOff("1.2.826.0.1.3680043.10.1.1", "alice")));
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
        List<SignOffAudit.SignOffRecord> records = audit.forStudy("1.2.826.0.1.3680043.10.1.1");
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.reviewer()).isEqualTo("alice");
            assertThat(r.clientAddress()).isEqualTo("192.0.2.17");
            assertThat(r.signedAt()).isNotNull();
            assertThat(r.changes()).hasSize(3);
        });
        assertThat(jdbc.queryForList("SELECT SEQ FROM GF_SIGNOFF_AUDIT ORDER BY SEQ", Long.class))
                .containsExactly(1L, 2L, 3L);
        assertThat(audit.verify()).isEmpty();
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void oneChangedCharacterIsFound() {
        recordTwo();
        String signed = jdbc.queryForObject("SELECT SIGNED_TEXT FROM GF_SIGNOFF_AUDIT WHERE SEQ = 2", String.class);
        jdbc.update("UPDATE GF_SIGNOFF_AUDIT SET SIGNED_TEXT = ? WHERE SEQ = 2", signed.replace('5', '6'));

        assertThat(audit.verify()).hasValueSatisfying(broken ->
                assertThat(broken).contains("audit link 2").contains("changed after it was written"));
        assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
    }

    @Test
    void aReviewerChangedAfterwardsIsFound() {
        recordTwo();
        jdbc.update("UPDATE GF_SIGNOFF_AUDIT SET REVIEWER = 'mallory' WHERE SEQ = 1");

        assertThat(audit.verify()).hasValueSatisfying(broken -> assertThat(broken).contains("audit link 1"));
    }

    @Test
    void aRemovedRowIsFound() {
        recordTwo();
        jdbc.update("DELETE FROM GF_SIGNOFF_AUDIT WHERE SEQ = 4");

        assertThat(audit.verify()).hasValueSatisfying(broken -> assertThat(broken).contains("audit link 4 is missing"));
    }

    @Test
    void removingTheNewestRowsIsFound() {
        recordTwo();
        jdbc.update("DELETE FROM GF_SIGNOFF_AUDIT WHERE SEQ >= 4");

        assertThat(audit.verify()).hasValueSatisfying(broken -> assertThat(broken).contains("links were removed"));
    }

    @Test
    void concurrentSignOffsChainOneAfterTheOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> signing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String study = "1.2.826.0.1.3680043.10.2." + (i + 1);
                signing.add(() -> {
                    transactions.executeWithoutResult(s -> audit.record(signOff(study, "bob")));
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(signing)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_SIGNOFF_AUDIT", Long.class)).isEqualTo(24L);
        assertThat(jdbc.queryForObject("SELECT MAX(SEQ) FROM GF_SIGNOFF_AUDIT", Long.class)).isEqualTo(24L);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void everyRevisionOfAReadAndItsRetractionStayInTheChain() {
        SignOff first = signOff("1.2.826.0.1.3680043.10.4.1", "alice");
        SignOff amended = Review.sign(first.readId(), first.interpretation(), List.of(
                new FindingDecision(1, Decision.ACCEPT, null), new FindingDecision(2, Decision.REJECT, null)),
                "One small nodule.", "bob", first.signedAt().plusSeconds(60));
        SignOff amendedAgain = Review.sign(first.readId(), first.interpretation(), List.of(
                new FindingDecision(1, Decision.EDIT, "A 7 mm nodule."), new FindingDecision(2, Decision.REJECT, null)),
                "One nodule.", "alice", first.signedAt().plusSeconds(120));
        for (SignOff signOff : List.of(first, amended, amendedAgain)) {
            transactions.executeWithoutResult(s -> audit.record(signOff));
        }
        Instant retractedAt = first.signedAt().plusSeconds(180);
        transactions.executeWithoutResult(s -> audit.recordRetraction(first.readId(), "1.2.826.0.1.3680043.10.4.1",
                "carol", retractedAt, "Wrong patient."));

        List<SignOffAudit.SignOffRecord> records = audit.forStudy("1.2.826.0.1.3680043.10.4.1");
        assertThat(records).extracting(SignOffAudit.SignOffRecord::kind)
                .containsExactly("sign-off", "amendment", "amendment", "retraction");
        assertThat(records).extracting(SignOffAudit.SignOffRecord::reviewer).containsExactly("alice", "bob", "alice", "carol");
        assertThat(records.get(1).changes()).extracting(SignOffAudit.Change::decision)
                .containsExactly("accept", "reject", "edit");
        assertThat(records.get(3).changes()).singleElement().satisfies(c -> {
            assertThat(c.item()).isEqualTo(SignOffAudit.RETRACTION);
            assertThat(c.signedText()).isEqualTo("Wrong patient.");
        });
        assertThat(jdbc.queryForObject("SELECT MAX(SEQ) FROM GF_SIGNOFF_AUDIT", Long.class)).isEqualTo(10L);
        assertThat(audit.verify()).isEmpty();

        jdbc.update("UPDATE GF_SIGNOFF_AUDIT SET SIGNED_TEXT = 'Quality.' WHERE ITEM = ?", SignOffAudit.RETRACTION);
        assertThat(audit.verify()).hasValueSatisfying(broken -> assertThat(broken).contains("audit link 10"));
    }

    private void recordTwo() {
        transactions.executeWithoutResult(s -> audit.record(signOff("1.2.826.0.1.3680043.10.3.1", "alice")));
        transactions.executeWithoutResult(s -> audit.record(signOff("1.2.826.0.1.3680043.10.3.2", "bob")));
        assertThat(audit.verify()).isEmpty();
    }

    private static SignOff signOff(String study, String reviewer) {
        CodedConcept nodule = new CodedConcept("27925004", "SCT", "Nodule");
        Finding one = new Finding(1, "nodule", nodule, "A 6 mm nodule.", "nodule", 1, 0.9, null, "right upper zone",
                null, Laterality.RIGHT);
        Finding two = new Finding(2, "nodule", nodule, "A 4 mm nodule.", "nodule", 2, 0.8, null, "left lower zone",
                null, Laterality.LEFT);
        Interpretation draft = new Interpretation(Uid.of(study), Uid.of(study + ".1"),
                new ModelIdentity("demo", "1", Uid.of("2.25.42"), "Groundflow"), List.of(one, two), "Two nodules.");
        return Review.sign(UUID.randomUUID().toString(), draft, List.of(
                new FindingDecision(1, Decision.ACCEPT, null),
                new FindingDecision(2, Decision.EDIT, "A 5 mm nodule in the left lower zone.")),
                "Two small nodules.", reviewer, Instant.now());
    }
}
