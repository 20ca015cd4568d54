package org.groundflow.dicomweb.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Measures the heap a piece of work uses, two ways: the largest heap occupancy seen just before a collection (what
 * the work really had live plus its garbage at that moment), and the sum of the heap pools' peaks (an upper bound:
 * the pools peak at different times).
 */
final class HeapPeak implements AutoCloseable {

    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
    private final AtomicLong beforeGcMax = new AtomicLong();
    /** JVM uptime (ms) at the last reset: collections that started earlier (an explicit System.gc()) are not ours. */
    private volatile long since;
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (info.getGcInfo().getStartTime() < since) {
                return;
            }
            long used = info.getGcInfo().getMemoryUsageBeforeGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
            beforeGcMax.accumulateAndGet(used, Math::max);
        }
    };

    HeapPeak() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        reset();
    }

    void reset() {
        since = ManagementFactory.getRuntimeMXBean().getUptime();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        beforeGcMax.set(currentUsed());
    }

    /** Largest heap occupancy seen (before each collection, and now). */
    long occupancyPeakBytes() {
        return Math.max(beforeGcMax.get(), currentUsed());
    }

    /** Sum of the heap pools' peak usage since {@link #reset()}: an upper bound. */
    long poolPeakSumBytes() {
        return pools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    static long maxHeapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    private long currentUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // never added
            }
        }
    }
}
