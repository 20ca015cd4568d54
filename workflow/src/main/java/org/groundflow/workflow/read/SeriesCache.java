package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The series of reads as retrieved by this node, in {@code <work-dir>/cache/<read id>/<series UID>/}: a cache, never
 * the source of truth. A node that lacks a read's series retrieves it from the PACS (WADO-RS); losing the cache costs
 * a retrieval, never a result. A series is retrieved into a folder of its own and renamed into place when complete, so
 * a cached series is always whole.
 */
@Component
public class SeriesCache {

    private static final Logger log = LoggerFactory.getLogger(SeriesCache.class);
    private static final String PARTIAL = ".partial-";

    private final Path root;
    private final DicomWebClient pacs;

    public SeriesCache(GroundflowProperties properties, DicomWebClient pacs) {
        this.root = properties.workDir().resolve("cache").toAbsolutePath().normalize();
        this.pacs = pacs;
    }

    /** Retrieves the series from the PACS into the cache, replacing what was cached of it. */
    public List<Path> retrieve(ReadSeries series) {
        Path target = folder(series);
        Path partial = target.resolveSibling(PARTIAL + UUID.randomUUID());
        try {
            List<Path> files = pacs.retrieveSeries(series.study(), series.series(), partial);
            delete(target);
            Files.createDirectories(partial);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                log.debug("read {}: series {} was cached meanwhile", series.readId(), series.series());
                return list(target);
            }
            return files.stream().map(f -> target.resolve(f.getFileName())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache series " + series.series() + " of read " + series.readId(), e);
        } finally {
            delete(partial);
        }
    }

    /** The series' files: from the cache, or retrieved from the PACS when this node has not cached it. */
    public List<Path> files(ReadSeries series) {
        Path folder = folder(series);
        List<Path> files = Files.isDirectory(folder) ? list(folder) : List.of();
        if (!files.isEmpty()) {
            return files;
        }
        log.info("read {}: series {} is not cached on this node; retrieving it", series.readId(), series.series());
        return retrieve(series);
    }

    /** The reads this node holds series of. */
    public List<String> cachedReads() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> reads = Files.list(root)) {
            return reads.map(p -> p.getFileName().toString()).filter(ReadStore::isReadId).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the series cache " + root, e);
        }
    }

    /**
     * A new, empty folder for files made of the read on their way out (a SEG and SR before STOW-RS); deleted when
     * closed, and with the read's cache should this process stop before.
     */
    public Scratch scratch(String readId) {
        try {
            return new Scratch(Files.createDirectories(root.resolve(ReadStore.requireReadId(readId))
                    .resolve(".scratch-" + UUID.randomUUID())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder for read " + readId, e);
        }
    }

    /** A folder of files that are not kept. */
    public record Scratch(Path folder) implements AutoCloseable {

        public Path file(String name) {
            return folder.resolve(name);
        }

        @Override
        public void close() {
            delete(folder);
            try {
                Files.deleteIfExists(folder.getParent()); // the read's folder, unless it caches a series
            } catch (DirectoryNotEmptyException e) {
                // the read's series is cached beside it
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + folder.getParent(), e);
            }
        }
    }

    /** Deletes what this node holds of the read. */
    public void evict(String readId) {
        delete(root.resolve(ReadStore.requireReadId(readId)));
    }

    private Path folder(ReadSeries series) {
        return root.resolve(series.readId()).resolve(series.series().value());
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the cached series " + folder, e);
        }
    }

    private static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + tree, e);
        }
    }
}
