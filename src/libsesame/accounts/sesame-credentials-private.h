/* sesame-credentials-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-credentials-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-credentials.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

gboolean  _sesame_credentials_insert             (SesameStore  *self,
                                                  const char   *person_key,
                                                  char        **out_password,
                                                  GError      **error);
gboolean  _sesame_credentials_revoke             (SesameStore  *self,
                                                  const char   *person_key,
                                                  GError      **error);
gboolean  _sesame_credentials_find_live          (SesameStore  *self,
                                                  const char   *person_key,
                                                  char        **id,
                                                  char        **stored);
gboolean  _sesame_credentials_match_live         (SesameStore  *self,
                                                  const char   *person_key,
                                                  const char   *password,
                                                  char        **id);
char     *_sesame_credentials_read_first_password (SesameStore *self,
                                                   const char  *person_key,
                                                   GError     **error);
char     *_sesame_credentials_dup_first_password (SesameStore  *self,
                                                  const char   *person_key);
gboolean  _sesame_credentials_is_live_password   (SesameStore  *self,
                                                  const char   *text);

G_END_DECLS
