/* sesame-seal-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-seal-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-seal.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* The text form of a sealed first password starts with this. */
#define SESAME_SEAL_PREFIX "s1:"

typedef enum
{
  SESAME_SEAL_MODE_STANDALONE,
  SESAME_SEAL_MODE_SERVER,
  SESAME_SEAL_MODE_DESK,
} SesameSealMode;

SesameSealMode _sesame_seal_get_mode          (SesameStore   *self);
gboolean       _sesame_seal_is_sealed         (const char    *stored);
char          *_sesame_seal_password          (SesameStore   *self,
                                               const char    *password,
                                               GError       **error);
char          *_sesame_seal_unseal_password   (SesameStore   *self,
                                               const char    *stored,
                                               GError       **error);
gboolean       _sesame_seal_has_key           (SesameStore   *self);
void           _sesame_seal_forget_key        (SesameStore   *self);
gboolean       _sesame_seal_enable_server     (SesameStore   *self,
                                               GError       **error);
gboolean       _sesame_seal_seal_clear        (SesameStore   *self,
                                               GError       **error);
gboolean       _sesame_seal_receive_key       (SesameStore   *self,
                                               const guint8  *desk_secret_key,
                                               const char    *sealed_key,
                                               GError       **error);

G_END_DECLS
