package org.groundflow.fhir.mapping;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Reads a mapped bundle in tests: resources by type, and references followed by full URL. */
record BundleEntries(Bundle bundle) {

    <T extends Resource> List<T> all(Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
    }

    <T extends Resource> T one(Class<T> type) {
        List<T> all = all(type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + all.size());
        }
        return all.get(0);
    }

    Bundle.BundleEntryComponent entryOf(Resource resource) {
        return bundle.getEntry().stream().filter(e -> e.getResource() == resource).findFirst()
                .orElseThrow(() -> new AssertionError("resource not in bundle"));
    }

    String fullUrlOf(Resource resource) {
        return entryOf(resource).getFullUrl();
    }

    /** The resource a reference points at, by full URL; fails if it points outside the bundle. */
    Resource resolve(Reference reference) {
        return bundle.getEntry().stream().filter(e -> e.getFullUrl().equals(reference.getReference()))
                .map(Bundle.BundleEntryComponent::getResource).findFirst()
                .orElseThrow(() -> new AssertionError("reference " + reference.getReference() + " is not in the bundle"));
    }
}
