// The umbrella header: everything a coodie user includes.
//
// Example:
//   #include <coodie/coodie.hpp>
//   coodie::session s = coodie::session::connect({.hosts = {"127.0.0.1"}});
#pragma once

#include "coodie/driver/options.hpp"
#include "coodie/driver/result.hpp"
#include "coodie/driver/session.hpp"
#include "coodie/driver/statement.hpp"
#include "coodie/driver/version.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/model.hpp"
#include "coodie/orm/session.hpp"
#include "coodie/wire/traits.hpp"
#include "coodie/wire/values.hpp"
