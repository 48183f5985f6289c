-- Identities at a region's identity provider (OpenID Connect): the provider's issuer and
-- its subject (`sub`, stable for one account there) bound to one person on first sign-in.
-- A later sign-in with the same issuer and subject is that person, whatever e-mail the
-- provider then tells; an e-mail that changed at the provider cannot reach another account.
CREATE TABLE person_identities (
    issuer      text        NOT NULL,
    subject     text        NOT NULL,
    person_id   uuid        NOT NULL REFERENCES people (id),
    bound_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject),
    -- One account per person at one provider.
    UNIQUE (person_id, issuer)
);
