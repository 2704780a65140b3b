/* sesame-cas-services.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameCasService:
 * @id: the registration's global key
 * @url: the registered address, normalised (scheme and host in lower
 *   case, no default port)
 * @added_at: when it was registered, seconds since the epoch
 * @added_by: the operator who registered it
 *
 * A web service that may sign people in through the server's CAS.
 */
typedef struct
{
  char   *id;
  char   *url;
  gint64  added_at;
  char   *added_by;
} SesameCasService;

#define SESAME_TYPE_CAS_SERVICE (sesame_cas_service_get_type ())

GType             sesame_cas_service_get_type  (void) G_GNUC_CONST;
SesameCasService *sesame_cas_service_copy      (const SesameCasService *service);
void              sesame_cas_service_free      (SesameCasService       *service);

char             *sesame_cas_services_normalize (const char    *url,
                                                 GError       **error);
gboolean          sesame_cas_services_url_matches (const char  *registered,
                                                   const char  *service);
SesameCasService *sesame_cas_services_add      (SesameStore   *store,
                                                const char    *url,
                                                GError       **error);
gboolean          sesame_cas_services_remove   (SesameStore   *store,
                                                const char    *url,
                                                GError       **error);
GPtrArray        *sesame_cas_services_list     (SesameStore   *store,
                                                GError       **error);
char             *sesame_cas_services_match    (SesameStore   *store,
                                                const char    *service,
                                                GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameCasService, sesame_cas_service_free)

G_END_DECLS
