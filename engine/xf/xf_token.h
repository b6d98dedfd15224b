/*
 * xf_token.h - what the rest of the engine may ask of the `token`
 * transform (xf_token.c) besides its transform_ops: where its vault is.
 */
#ifndef DEID_XF_TOKEN_H
#define DEID_XF_TOKEN_H

#include "transform.h"

/* The vault file of a compiled token state, resolved against the rules'
 * folder (as opened). Owned by the state. */
const char *xf_token_vault_path(const void *state);

#endif
