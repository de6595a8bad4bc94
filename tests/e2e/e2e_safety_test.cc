#include <catch2/catch.hpp>
TEST_CASE("placeholder safety", "[e2e]") { SUCCEED(); }
