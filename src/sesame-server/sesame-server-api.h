/* sesame-server-api.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sesame.h"

G_BEGIN_DECLS

typedef struct _SesameServerApi SesameServerApi;

/* One request, read on the main loop, answered wherever its handler runs:
 * the handler reads these fields and sets the reply, never the message. */
typedef struct
{
  SesameServerApi   *api;
  SoupServerMessage *msg;            /* touched on the main loop only */
  char              *method;
  char              *path;
  char              *signed_path;    /* path and query, as the desk signed them */
  GHashTable        *query;          /* (nullable) */
  char              *desk_id;        /* the signature's headers, or NULL */
  char              *time;
  char              *nonce;
  char              *signature;
  char              *accept_language; /* the desk's language, for reasons */
  GBytes            *body;
  SesameStore       *store;          /* the connection the handler may use */

  guint              status;
  char              *content_type;
  GBytes            *reply;
} SesameServerCall;

SesameServerApi *sesame_server_api_install (SoupServer        *server,
                                            SesameStore       *store,
                                            GError           **error);
void             sesame_server_api_free    (SesameServerApi   *api);

void             sesame_server_call_reply_json  (SesameServerCall *call,
                                                 guint             status,
                                                 JsonNode         *node);
void             sesame_server_call_reply_error (SesameServerCall *call,
                                                 guint             status,
                                                 const char       *code,
                                                 const char       *message);
guint            sesame_server_status_for       (const GError     *error);
JsonObject      *sesame_server_call_parse_object (SesameServerCall *call);

G_END_DECLS
