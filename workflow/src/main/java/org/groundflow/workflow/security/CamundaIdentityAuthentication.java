package org.groundflow.workflow.security;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/** Signs users in against Camunda's identity service; their groups become authorities and roles. */
@Component
public class CamundaIdentityAuthentication implements AuthenticationProvider {

    private final IdentityService identity;

    public CamundaIdentityAuthentication(IdentityService identity) {
        this.identity = identity;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        Object credentials = authentication.getCredentials();
        if (user == null || user.isBlank() || credentials == null || !identity.checkPassword(user, credentials.toString())) {
            throw new BadCredentialsException("unknown user or wrong password");
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        boolean admin = false;
        boolean worker = false;
        for (Group group : identity.createGroupQuery().groupMember(user).list()) {
            authorities.add(new SimpleGrantedAuthority(Roles.GROUP_PREFIX + group.getId()));
            admin |= Roles.ADMIN_GROUP.equals(group.getId());
            worker |= Roles.WORKER_GROUP.equals(group.getId());
        }
        if (admin || !worker) { // a worker service account is nothing else
            authorities.add(new SimpleGrantedAuthority("ROLE_" + Roles.USER));
        }
        if (admin) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + Roles.ADMIN));
        }
        if (worker) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + Roles.WORKER));
        }
        return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
    }

    @Override
    public boolean supports(Class<?> type) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
    }
}
