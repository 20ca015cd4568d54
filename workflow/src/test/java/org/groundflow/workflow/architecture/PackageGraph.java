package org.groundflow.workflow.architecture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which package depends on which, each edge with one class dependency that makes it; finds the cycles (strongly
 * connected components of more than one package, Tarjan's algorithm) and names one loop through each.
 */
final class PackageGraph {

    /** A class-level line of {@code jdeps -verbose:class}: "   a.b.C   -> d.e.F   archive". */
    private static final Pattern JDEPS_LINE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)(\\s+.*)?$");

    /** Package → package it depends on → one class dependency, "C -> F". */
    private final Map<String, Map<String, String>> edges = new TreeMap<>();

    /** Adds the dependency of class {@code from} on class {@code to}; one within a package is no edge. */
    PackageGraph add(String from, String to) {
        String source = packageOf(from);
        String target = packageOf(to);
        edges.computeIfAbsent(source, p -> new TreeMap<>());
        edges.computeIfAbsent(target, p -> new TreeMap<>());
        if (!source.equals(target)) {
            edges.get(source).putIfAbsent(target, simpleName(from) + " -> " + simpleName(to));
        }
        return this;
    }

    /** The graph of the class dependencies in {@code jdeps -verbose:class} output whose both ends start with {@code prefix}. */
    static PackageGraph parseJdeps(String output, String prefix) {
        PackageGraph graph = new PackageGraph();
        for (String line : output.split("\\R")) {
            Matcher m = JDEPS_LINE.matcher(line);
            if (m.matches() && m.group(1).startsWith(prefix) && m.group(2).startsWith(prefix)) {
                graph.add(m.group(1), m.group(2));
            }
        }
        return graph;
    }

    Set<String> packages() {
        return new TreeSet<>(edges.keySet());
    }

    /** One loop per cycle, e.g. [a, b, a], with the class dependency behind each step. */
    List<String> cycles() {
        List<String> found = new ArrayList<>();
        for (Set<String> component : new Tarjan().components()) {
            if (component.size() > 1) {
                found.add(describe(loop(component)));
            }
        }
        return found;
    }

    /** The shortest loop from the component's first package back to it, inside the component (breadth first). */
    private List<String> loop(Set<String> component) {
        String start = component.iterator().next();
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.removeFirst();
            for (String next : edges.get(at).keySet()) {
                if (!component.contains(next)) {
                    continue;
                }
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = at; !p.equals(start); p = previous.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (!previous.containsKey(next)) {
                    previous.put(next, at);
                    queue.addLast(next);
                }
            }
        }
        throw new IllegalStateException("no loop through " + start + " in its component " + component);
    }

    private String describe(List<String> loop) {
        StringBuilder text = new StringBuilder(String.join(" -> ", loop)).append(" (");
        for (int i = 0; i + 1 < loop.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(edges.get(loop.get(i)).get(loop.get(i + 1)));
        }
        return text.append(')').toString();
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** Tarjan's strongly connected components, each in the order its packages were met. */
    private final class Tarjan {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<Set<String>> components = new ArrayList<>();

        List<Set<String>> components() {
            for (String node : edges.keySet()) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String node) {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : edges.get(node).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                } else if (onStack.contains(next)) {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node))) {
                Set<String> component = new LinkedHashSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                components.add(reversed(component));
            }
        }

        private Set<String> reversed(Set<String> component) {
            List<String> members = new ArrayList<>(component);
            Collections.reverse(members);
            return new LinkedHashSet<>(members);
        }
    }
}
