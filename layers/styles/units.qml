<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="AllStyleCategories" labelsEnabled="1" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0">
  <renderer-v2 type="graduatedSymbol" symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1" attr="round(coalesce(&quot;displaced&quot;, -1))" graduatedMethod="GraduatedColor">
    <ranges>
      <range lower="-1.0" upper="-1.0" label="Sin datos" symbol="0" render="true" />
      <range lower="0.0" upper="0.0" label="0" symbol="1" render="true" />
      <range lower="1.0" upper="100.0" label="1 – 100" symbol="2" render="true" />
      <range lower="101.0" upper="1000.0" label="101 – 1,000" symbol="3" render="true" />
      <range lower="1001.0" upper="5000.0" label="1,001 – 5,000" symbol="4" render="true" />
      <range lower="5001.0" upper="20000.0" label="5,001 – 20,000" symbol="5" render="true" />
      <range lower="20001.0" upper="1000000000000000.0" label="más de 20,000" symbol="6" render="true" />
    </ranges>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="189,189,189,255" />
            <Option name="style" type="QString" value="f_diagonal" />
            <Option name="outline_color" type="QString" value="99,99,99,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.26" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="189,189,189,255" />
          <prop k="style" v="f_diagonal" />
          <prop k="outline_color" v="99,99,99,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.26" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="247,247,247,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="255,255,255,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.26" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="247,247,247,255" />
          <prop k="style" v="solid" />
          <prop k="outline_color" v="255,255,255,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.26" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,233,152,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="255,255,255,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.26" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="255,233,152,255" />
          <prop k="style" v="solid" />
          <prop k="outline_color" v="255,255,255,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.26" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="254,186,85,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="255,255,255,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.26" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="254,186,85,255" />
          <prop k="style" v="solid" />
          <prop k="outline_color" v="255,255,255,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.26" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="253,116,53,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="255,255,255,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.26" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="253,116,53,255" />
          <prop k="style" v="solid" />
          <prop k="outline_color" v="255,255,255,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.26" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="226,25,28,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="255,255,255,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.26" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="226,25,28,255" />
          <prop k="style" v="solid" />
          <prop k="outline_color" v="255,255,255,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.26" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="6" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="151,0,38,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="255,255,255,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.26" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="151,0,38,255" />
          <prop k="style" v="solid" />
          <prop k="outline_color" v="255,255,255,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.26" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
    </symbols>
    <classificationMethod id="Pretty" />
    <rotation />
    <sizescale />
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="CASE WHEN &quot;displaced&quot; &gt; 0.5 THEN &quot;name&quot; || '\n' || format_number(with_variable('s', CASE WHEN &quot;displaced&quot; &lt;= 100 THEN 1 WHEN &quot;displaced&quot; &lt;= 1000 THEN 10 WHEN &quot;displaced&quot; &lt; 10000 THEN 100 ELSE 1000 END, with_variable('q', &quot;displaced&quot; / @s, (CASE WHEN @q - floor(@q) = 0.5 THEN 2 * round(@q / 2) ELSE round(@q) END) * @s)), 0) END" isExpression="1" fontFamily="Liberation Sans" fontSize="8.0" fontSizeUnit="Point" textColor="30,30,30,255" fontWeight="50" textOpacity="1" multilineHeight="1" namedStyle="Regular">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9" bufferJoinStyle="128" bufferNoFill="1" />
      </text-style>
      <text-format multilineAlign="1" wrapChar="" formatNumbers="0" />
      <placement placement="1" centroidInside="1" fitInPolygonOnly="0" priority="5" dist="0" />
      <rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" upsidedownLabels="0" labelPerPart="0" mergeLines="0" zIndex="0" />
    </settings>
  </labeling>
  <layerOpacity>1</layerOpacity>
  <aliases>
    <alias field="fid" index="0" name="Identificador interno" />
    <alias field="cvegeo" index="1" name="Clave geoestadística (CVEGEO)" />
    <alias field="name" index="2" name="Nombre" />
    <alias field="displaced" index="3" name="Personas desplazadas (central)" />
    <alias field="displaced_low" index="4" name="Personas desplazadas (mínimo)" />
    <alias field="displaced_high" index="5" name="Personas desplazadas (máximo)" />
    <alias field="evacuated" index="6" name="Personas evacuadas" />
    <alias field="sheltered_peak" index="7" name="Personas en albergues (máximo)" />
    <alias field="method" index="8" name="Método" />
    <alias field="source" index="9" name="Fuente" />
    <alias field="decided_by" index="10" name="Cifra decidida por" />
    <alias field="flag" index="11" name="Alerta" />
    <alias field="flag_reason" index="12" name="Motivo de la alerta" />
  </aliases>
  <layerGeometryType>2</layerGeometryType>
</qgis>
