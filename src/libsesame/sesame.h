/* sesame.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Sésame core: everything the application and the command-line tool
 * may call.
 */
#pragma once

#include "sesame-accounts.h"
#include "sesame-audit.h"
#include "sesame-document-language.h"
#include "sesame-error.h"
#include "sesame-identifier-files.h"
#include "sesame-import.h"
#include "sesame-letters.h"
#include "sesame-operators.h"
#include "sesame-person.h"
#include "sesame-roles.h"
#include "sesame-search.h"
#include "sesame-store.h"
#include "sesame-types.h"
