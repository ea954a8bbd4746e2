#include "commands.hpp"

#include <sstream>
#include <vector>

namespace usbio::vbench {

std::string run_command(std::string_view line, BenchDevice& device, EndpointPumps& pumps) {
    std::istringstream in{std::string(line)};
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    if (words.empty())
        return "ok";
    if (words[0] == "hold-out") {
        if (words.size() != 2 || (words[1] != "0" && words[1] != "1"))
            return "error: hold-out wants 1 or 0";
        pumps.set_out_hold(words[1] == "1");
        return "ok";
    }
    return device.world(words);
}

}  // namespace usbio::vbench
