/* sesame-store-operator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who acts on a store and what they may do: the interface shows and hides
 * actions by these answers, and every operation of the core checks them.
 */
#pragma once

#include <gio/gio.h>

#include "sesame-types.h"

G_BEGIN_DECLS

const char  *sesame_store_operator_get_login   (SesameStore      *self);
const char  *sesame_store_operator_get_key     (SesameStore      *self);
char        *sesame_store_operator_dup_display_name (SesameStore *self);

gboolean     sesame_store_operator_is_admin    (SesameStore      *self);
gboolean     sesame_store_operator_administers_all (SesameStore  *self);
gboolean     sesame_store_operator_administers (SesameStore      *self,
                                                const char       *uai);
char       **sesame_store_operator_dup_administered_establishments (SesameStore *self);

gboolean     sesame_store_operator_can         (SesameStore      *self,
                                                SesamePermission  permission);
gboolean     sesame_store_operator_check_permission (SesameStore       *self,
                                                     SesamePermission   permission,
                                                     const char        *target_key,
                                                     GError           **error);

G_END_DECLS
