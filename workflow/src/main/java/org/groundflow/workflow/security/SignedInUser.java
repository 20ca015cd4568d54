package org.groundflow.workflow.security;

import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The user of the current request and the groups they belong to. */
public record SignedInUser(String id, List<String> groups) {

    public static SignedInUser current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new IllegalStateException("no signed-in user");
        }
        List<String> groups = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith(Roles.GROUP_PREFIX)).map(a -> a.substring(Roles.GROUP_PREFIX.length())).toList();
        return new SignedInUser(authentication.getName(), groups);
    }

    public boolean memberOfAny(List<String> candidateGroups) {
        return candidateGroups.stream().anyMatch(groups::contains);
    }
}
