package org.groundflow.workflow.read;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes what Groundflow keeps of a read's pixels and masks once {@code groundflow.retention.after-end} has passed
 * since the read ended: the draft's masks and the series' geometry with its patient attributes (read store), and this
 * node's cached series of the read; also what the review UI keeps decoded. The sign-off, its audit trail and the
 * revision ledger stay. Every node sweeps every {@code groundflow.retention.sweep-every}: the database part is a
 * conditional update, so nodes sweeping at once delete nothing twice; each node deletes its own cache.
 */
@Component
public class ReadRetention implements SmartLifecycle {

    /** What one sweep deleted: reads whose masks and geometry went now, and reads whose cached series went. */
    public record Sweep(int purgedReads, List<String> evictedReads) {

        public Sweep {
            evictedReads = List.copyOf(evictedReads);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ReadRetention.class);

    private final ReadStore store;
    private final SeriesCache cache;
    private final ReadImages images;
    private final GroundflowProperties.Retention retention;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    @Autowired
    public ReadRetention(ReadStore store, SeriesCache cache, ReadImages images, GroundflowProperties properties) {
        this(store, cache, images, properties.retention(), Clock.systemUTC());
    }

    public ReadRetention(ReadStore store, SeriesCache cache, ReadImages images, GroundflowProperties.Retention retention,
                         Clock clock) {
        this.store = store;
        this.cache = cache;
        this.images = images;
        this.retention = retention;
        this.clock = clock;
    }

    /** Deletes what is past its retention now. */
    public Sweep sweep() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention.afterEnd());
        int purged = store.purgeEndedBefore(cutoff, now);
        List<String> evicted = store.endedBefore(cache.cachedReads(), cutoff);
        evicted.forEach(cache::evict);
        images.forget(evicted);
        if (purged > 0 || !evicted.isEmpty()) {
            log.info("retention ({} after a read's end): masks and geometry of {} read(s) deleted, cached series of {}"
                    + " deleted on this node: {}", retention.afterEnd(), purged, evicted.size(), evicted);
        }
        return new Sweep(purged, evicted);
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "groundflow-retention");
            thread.setDaemon(true);
            return thread;
        });
        long every = retention.sweepEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("retention sweep failed, tried again in {}: {}", retention.sweepEvery(), e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
