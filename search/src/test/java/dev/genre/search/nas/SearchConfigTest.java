package dev.genre.search.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genre.io.Json;
import dev.genre.search.space.SearchSpace;
import org.junit.jupiter.api.Test;

class SearchConfigTest {
    @Test
    void theSpaceIsRecordedAndARunFromBeforeItExistedReadsAsTheMnasnetSpace() throws Exception {
        SearchConfig elastic = SearchConfig.defaults("enas", MnasReward.soft(1), 0).withSpace(SearchSpace.ELASTIC);
        assertEquals(elastic, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(elastic), SearchConfig.class));
        assertEquals(SearchSpace.ELASTIC, elastic.withEpochs(3).withTimeBudget(60).withUniformWarmup(0.2).space(), "kept by every with-method");

        ObjectNode old = Json.MAPPER.valueToTree(SearchConfig.defaults("enas", MnasReward.soft(1), 0));
        old.remove("space");
        assertEquals(SearchSpace.MNASNET, Json.MAPPER.treeToValue(old, SearchConfig.class).space());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> elastic.withSpace("tiny"));
        assertTrue(e.getMessage().contains("unknown search space 'tiny'"), e.getMessage());
    }
}
